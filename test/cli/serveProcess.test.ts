/**
 * `coach serve` as a process (issue 17): it survives reply endpoints that are down or failing,
 * and a port already in use is reported in one line with a non-zero exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { activity, postJson, standIn } from '../helpers/http';
import { freePort } from '../helpers/redis';
import { tempDir } from '../helpers/tmp';

const BIN = join(__dirname, '../../bin/coach.js');

async function startServe(
  port: number,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; stderr: () => string }> {
  const t = tempDir();
  let stderr = '';
  const child = spawn(process.execPath, [BIN, 'serve', '--store', 'memory'], {
    env: { ...process.env, PORT: String(port), COACH_DATA_DIR: t.dir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const deadline = Date.now() + 30_000;
  while (!stderr.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`coach serve exited: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`coach serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.once('exit', () => t.cleanup());
  return { child, stderr: () => stderr };
}

describe('coach serve (process)', () => {
  it('stays up when reply endpoints are down or answer 503, and sends a bounded number of posts', async () => {
    const port = await freePort();
    const closed = await freePort();
    const failing = await standIn(() => ({ status: 503 }));
    const serve = await startServe(port);
    try {
      const base = `http://127.0.0.1:${port}`;
      const posts = [];
      for (let i = 0; i < 6; i++) {
        const serviceUrl = i % 2 ? failing.url : `http://127.0.0.1:${closed}`;
        posts.push(
          postJson(
            `${base}/api/messages`,
            activity('支付宝拒绝了我', {
              serviceUrl,
              conversation: { id: `p-${i}` },
              from: { id: `p-${i}` },
            }),
          ),
        );
      }
      const results = await Promise.all(posts);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      // Long enough for every retry to have happened.
      await new Promise((r) => setTimeout(r, 4000));
      expect(serve.child.exitCode).toBeNull();
      // Three turns on the failing endpoint: at most three posts each (one try, two retries).
      expect(failing.calls.length).toBeGreaterThanOrEqual(3);
      expect(failing.calls.length).toBeLessThanOrEqual(9);
      const after = await postJson(
        `${base}/api/messages`,
        activity('hello', { deliveryMode: 'expectReplies' }),
      );
      expect(after.status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      serve.child.kill('SIGTERM');
      await failing.close();
    }
  });

  it('reports a port in use in one line and exits non-zero', async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)),
    );
    try {
      const t = tempDir();
      const r = spawnSync(process.execPath, [BIN, 'serve', '--store', 'memory'], {
        env: { ...process.env, PORT: String(port), COACH_DATA_DIR: t.dir },
        encoding: 'utf8',
        timeout: 30_000,
      });
      t.cleanup();
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBeNull();
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(`coach serve: port ${port} is in use (set PORT to another one)`);
    } finally {
      taken.close();
    }
  });
});
