/**
 * Structured logs: one JSON object per line on stderr (stdout belongs to the conversation),
 * written by pino. A line reads `{"level":"warn","time":"2026-12-07T03:21:31.000Z",…fields,"msg":"…"}`:
 * the level as its name, the time in ISO 8601.
 *
 * Personal data never reaches a line: pino's hooks mask the message and every string of every
 * field, however deep, and errors (serialised with their stack and chain of causes) the same way.
 * User text is never logged whole.
 *
 * pino is loaded when the first line is written at an enabled level, not before: the terminal
 * logs nothing in a normal run, and its start-up does not pay for a logger it does not use.
 */
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { maskPii } from '../privacy/pii';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** pino's numbers for our levels. */
const VALUE: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 };

const toStderr = (line: string): void => void process.stderr.write(`${line}\n`);
let sink: (line: string) => void = toStderr;
// Every process masks its logs, the terminal's included, not only those that remember to ask.
let masker: (text: string) => string = maskPii;

/** Where lines go, one at a time without the newline (tests capture them); none: stderr again. */
export function setLogSink(fn: ((line: string) => void) | undefined): void {
  sink = fn ?? toStderr;
}

export function setLogMasker(fn: (text: string) => string): void {
  masker = fn;
}

/** A LOG_LEVEL value as a level; anything else is `fallback`. */
export function parseLevel(value: string | undefined, fallback: Level): Level {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error' ? value : fallback;
}

/** pino writes each line here; it goes to the sink of the moment, so loggers made earlier follow a new sink. */
const destination: DestinationStream = {
  write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line),
};

const JSON_ESCAPE = /\\u([0-9a-fA-F]{4})/g;

/**
 * A string masked. A dependency that logs a JSON body may have spelled characters as \uXXXX
 * escapes, which would hide a "验证码" from the patterns: they are read as characters first, and
 * the text comes back as it was when nothing in it is personal.
 */
function maskText(text: string): string {
  const plain = text.includes('\\u')
    ? text.replace(JSON_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
  const masked = masker(plain);
  return masked === plain ? text : masked;
}

/** Deeper than this, a value is left out: a log line is not a dump. */
const MAX_DEPTH = 10;

let serializeError: (err: Error) => unknown = (err) => ({ type: err.name, message: err.message });

/**
 * A field value with every string masked: objects and arrays are copied (never changed in
 * place), errors are serialised first, cycles and very deep values are cut.
 */
function maskValue(value: unknown, depth = 0, seen: Set<object> = new Set()): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Too deep]';
  if (value instanceof Error) return maskValue(serializeError(value), depth, seen);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return maskValue(toJSON.call(value), depth, seen);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key] = maskValue((value as Record<string, unknown>)[key], depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

const maskFields = (fields: Record<string, unknown>): Record<string, unknown> =>
  maskValue(fields) as Record<string, unknown>;

let root: PinoLogger | undefined;

/** The one pino logger, made (and pino loaded) on the first line written. */
function pinoRoot(): PinoLogger {
  if (root) return root;
  // A require, not an import: loading pino is what the first line written pays for, not start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pino = require('pino') as typeof import('pino');
  // The type, message and stack of an error and of each of its causes, masked like the rest.
  serializeError = (err) => pino.stdSerializers.errWithCause(err);
  const errors = (value: unknown): unknown => (value instanceof Error ? maskValue(value) : value);
  root = pino(
    {
      level: 'debug',
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: errors, error: errors },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: maskFields,
        log: maskFields,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a: unknown) => (typeof a === 'string' ? maskText(a) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  return root;
}

export function createLogger(base: LogFields = {}, level: Level = envLevel()): Logger {
  const threshold = VALUE[level];
  let logger: PinoLogger | undefined;
  const write = (lvl: Level, msg: string, fields?: LogFields): void => {
    if (VALUE[lvl] < threshold) return;
    // pino formats a child's bindings only with a formatter given to the child itself.
    logger ??=
      Object.keys(base).length > 0
        ? pinoRoot().child(base, { formatters: { bindings: maskFields } })
        : pinoRoot();
    logger[lvl](fields ?? {}, msg);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, level),
  };
}

function envLevel(): Level {
  return parseLevel(process.env.LOG_LEVEL, 'warn');
}
