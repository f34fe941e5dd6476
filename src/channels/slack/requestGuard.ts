/**
 * The gate in front of Bolt on POST /slack/events. Bolt's ExpressReceiver checks signatures but
 * accepts timestamps of any age in the future, and a body it cannot route (an unknown type, JSON
 * sent as a form, …) is never acknowledged, so the request stays open. This gate answers those
 * at once and passes on only what Bolt can route; Bolt then checks the signature again.
 *
 * Order: the body is read (at most the body limit; 413 beyond); then the signature: missing,
 * wrong, or dated more than five minutes from now in either direction → 401; then the shape:
 * anything Slack could not have sent → 400 with a short reason. Only then is the body's kind
 * known, so an unsigned request never learns more than 401.
 */
import { isValidSlackRequest } from '@slack/bolt';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../log/logger';

/** Slack's replay window: a signature is good for five minutes either side of its timestamp. */
const SIGNATURE_WINDOW_SECONDS = 5 * 60;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Interactivity payload types Bolt routes to listeners (see its getTypeAndConversation). */
const INTERACTIVE_TYPES = new Set([
  'block_actions',
  'interactive_message',
  'dialog_submission',
  'block_suggestion',
  'dialog_suggestion',
  'shortcut',
  'message_action',
  'view_submission',
  'view_closed',
]);

/** What a body is, as far as the gate cares. */
type SlackBodyKind =
  | { kind: 'event' | 'url_verification' | 'ssl_check' | 'command' | 'interaction' | 'rate_limited' }
  | { kind: 'invalid'; reason: string };

const invalid = (reason: string): SlackBodyKind => ({ kind: 'invalid', reason });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The media type of a Content-Type header, without parameters (charset …). */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Classifies a (signed) body the way Slack sends them: events as JSON, the rest as forms. */
function classifySlackBody(contentType: string, body: string): SlackBodyKind {
  if (contentType === JSON_TYPE) {
    const parsed = parseJson(body);
    if (parsed === undefined) return invalid('body is not valid JSON (commands and clicks come as forms)');
    if (!isObject(parsed)) return invalid('body must be a JSON object');
    switch (parsed.type) {
      case 'url_verification':
        return { kind: 'url_verification' };
      case 'app_rate_limited':
        return { kind: 'rate_limited' };
      case 'event_callback':
        return isObject(parsed.event) && typeof parsed.event.type === 'string'
          ? { kind: 'event' }
          : invalid('event_callback without an event');
      default:
        return invalid('unknown request type: expected url_verification or event_callback');
    }
  }
  if (contentType === FORM_TYPE) {
    const form = new URLSearchParams(body);
    if (form.has('ssl_check')) return { kind: 'ssl_check' };
    const command = form.get('command');
    if (command !== null) {
      return command.startsWith('/') ? { kind: 'command' } : invalid('command must start with "/"');
    }
    const payload = form.get('payload');
    if (payload === null) return invalid('form carries neither a slash command nor an interactivity payload');
    const parsed = parseJson(payload);
    if (!isObject(parsed)) return invalid('payload is not a JSON object');
    if (typeof parsed.type !== 'string' || !INTERACTIVE_TYPES.has(parsed.type))
      return invalid('unknown interactivity payload type');
    if (
      (parsed.type === 'block_actions' || parsed.type === 'interactive_message') &&
      !Array.isArray(parsed.actions)
    )
      return invalid(`${parsed.type} without actions`);
    return { kind: 'interaction' };
  }
  return invalid(`content type must be ${JSON_TYPE} (events) or ${FORM_TYPE} (commands, clicks)`);
}

/** Is `timestamp` (seconds, as sent) within the signature window of `nowMs`? */
function timestampInWindow(timestamp: string | undefined, nowMs = Date.now()): boolean {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) <= SIGNATURE_WINDOW_SECONDS;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Express middleware for POST /slack/events, to run before Bolt's own. */
export function slackRequestGuard(
  signingSecret: string,
  bodyLimit: number,
  logger: Logger,
): RequestHandler[] {
  // Read as bytes whatever the Content-Type: the signature covers the body exactly as sent.
  const raw = express.raw({ type: () => true, limit: bodyLimit });
  const gate = (req: Request, res: Response, next: NextFunction): void => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = bytes.toString('utf8');
    const timestamp = header(req, 'x-slack-request-timestamp');
    const signed =
      timestampInWindow(timestamp) &&
      isValidSlackRequest({
        signingSecret,
        body,
        headers: {
          'x-slack-signature': header(req, 'x-slack-signature') ?? '',
          'x-slack-request-timestamp': Number(timestamp),
        },
      });
    if (!signed) {
      logger.warn('slack: request refused: bad, missing or out-of-window signature');
      res.status(401).json({ error: 'invalid Slack signature or timestamp' });
      return;
    }
    const type = mediaType(header(req, 'content-type'));
    const kind = classifySlackBody(type, body);
    if (kind.kind === 'invalid') {
      logger.warn('slack: request refused', { reason: kind.reason });
      res.status(400).json({ error: kind.reason });
      return;
    }
    if (kind.kind === 'rate_limited') {
      // Slack tells us it dropped events for a minute; nothing to answer but "seen".
      logger.warn('slack: Slack reports the app was rate limited (events were dropped)');
      res.status(200).end();
      return;
    }
    // Bolt reads the body from req.rawBody when it is there (and checks the signature again);
    // it compares the Content-Type exactly, so it gets the bare media type.
    (req as Request & { rawBody?: Buffer }).rawBody = bytes;
    req.headers['content-type'] = type;
    next();
  };
  return [raw, gate];
}
