/**
 * The web chat page at `/`: Bot Framework Web Chat (the `botframework-webchat` bundle, served
 * from node_modules by this server: no CDN, nothing from another host) talking to this server's
 * Direct Line API. The page's own script and styles live beside this file.
 *
 * Every file the page loads is addressed by a hash of its content and cached for a year; the
 * 3.8 MB bundle goes out gzipped (about 1 MB) to clients that accept it, which matters on a
 * phone. The page itself is never cached: it carries a fresh CSP nonce each time, which Web Chat
 * puts on the style elements it creates, so styles need no 'unsafe-inline' and scripts come only
 * from this origin (no inline script, no eval).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzip } from 'node:zlib';
import type { Express, Request, Response } from 'express';
import { projectRoot } from '../../util/paths';
import { publicOrigin } from './http';

interface Asset {
  path: string;
  type: string;
  body: Buffer;
  compress: boolean;
  /** Made on the first request that accepts it (a server that nobody browses never pays for it). */
  gzipped?: Promise<Buffer>;
}

function asset(name: string, type: string, body: Buffer, compress: boolean): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  return { path: `/webchat/${name.slice(0, dot)}.${hash}${name.slice(dot)}`, type, body, compress };
}

function gzipped(a: Asset): Promise<Buffer> {
  a.gzipped ??= new Promise((resolve, reject) =>
    gzip(a.body, { level: 9 }, (error, out) => (error ? reject(error) : resolve(out))),
  );
  return a.gzipped;
}

/** The bundle, read once per process however many servers it starts (tests start many). */
let bundleCache: Asset | undefined;

/** The Web Chat bundle with everything it renders (Adaptive Cards included). */
function webChatBundle(): Buffer {
  // The package's exports name only its entry points, not dist/: look for it where Node would.
  for (let dir = projectRoot(); ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
    if (existsSync(file)) return readFileSync(file);
    if (dirname(dir) === dir) throw new Error('botframework-webchat is not installed (npm ci)');
  }
}

/**
 * The hash of an empty style element. react-scroll-to-bottom (inside Web Chat) creates its style
 * element without the nonce and fills it through the CSSOM (insertRule, which CSP does not
 * govern): allowing exactly an empty element lets its styles apply and allows no inline CSS.
 */
const EMPTY_STYLE = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/**
 * The page's Content-Security-Policy. The stream is a WebSocket to the host the page came from;
 * 'self' covers it in current browsers, the explicit ws/wss source covers older ones.
 */
function pageCsp(nonce: string, host: string | undefined): string {
  const sockets = host ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}' '${EMPTY_STYLE}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

function send(req: Request, res: Response, a: Asset): void {
  res.setHeader('Content-Type', a.type);
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('Vary', 'Accept-Encoding');
  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (!a.compress || !acceptsGzip) {
    res.send(a.body);
    return;
  }
  gzipped(a).then(
    (body) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(body);
    },
    () => res.send(a.body),
  );
}

export function mountWebChatPage(app: Express, options: { trustProxy: boolean }): void {
  const dir = join(projectRoot(), 'src', 'channels', 'directline');
  const bundle = (bundleCache ??= asset(
    'webchat.js',
    'text/javascript; charset=utf-8',
    webChatBundle(),
    true,
  ));
  const script = asset('chat.js', 'text/javascript; charset=utf-8', readFileSync(join(dir, 'chat.js')), true);
  const styles = asset('chat.css', 'text/css; charset=utf-8', readFileSync(join(dir, 'chat.css')), true);
  const icon = asset('icon.svg', 'image/svg+xml', readFileSync(join(dir, 'icon.svg')), false);
  const template = readFileSync(join(dir, 'index.html'), 'utf8')
    .replaceAll('{{BUNDLE}}', bundle.path)
    .replaceAll('{{SCRIPT}}', script.path)
    .replaceAll('{{STYLES}}', styles.path)
    .replaceAll('{{ICON}}', icon.path);

  for (const a of [bundle, script, styles, icon]) {
    app.get(a.path, (req, res) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      send(req, res, a);
    });
  }

  app.get('/', (req, res) => {
    const nonce = randomBytes(16).toString('base64');
    const origin = publicOrigin(req, options.trustProxy);
    res.setHeader('Content-Security-Policy', pageCsp(nonce, origin?.host));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(template.replaceAll('{{NONCE}}', nonce));
  });
}
