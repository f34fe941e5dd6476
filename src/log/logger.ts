/**
 * Structured JSON logs on stderr (stdout belongs to the conversation). Messages and fields are
 * masked for personal data before they are written; user text is never logged whole.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);
let masker: (text: string) => string = (t) => t;

/** Tests capture log lines; the PII module installs its masker at start. */
export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

export function setLogMasker(fn: (text: string) => string): void {
  masker = fn;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: masker(value.message) };
  if (typeof value === 'string') return masker(value);
  return value;
}

export function createLogger(base: LogFields = {}, level: Level = envLevel()): Logger {
  const write = (lvl: Level, msg: string, fields: LogFields = {}): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const entry: LogFields = { time: new Date().toISOString(), level: lvl, msg: masker(msg) };
    for (const [k, v] of Object.entries({ ...base, ...fields })) entry[k] = serialise(v);
    sink(JSON.stringify(entry));
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
  const v = process.env.LOG_LEVEL;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? v : 'warn';
}
