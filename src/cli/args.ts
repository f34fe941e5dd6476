/**
 * Command-line parsing (CONTRACTS section 1). Pure: returns what to run or a UsageError whose
 * one-line message the entry point prints before exiting with code 2.
 */
import { parseArgs } from 'node:util';
import type { Lang } from '../knowledge/schema';
import { parseStoreUrl, StoreUrlError } from '../storage/createStorage';

export class UsageError extends Error {}

export interface ChatOptions {
  user: string;
  lang?: Lang;
  store?: string;
  seed?: number;
}

export type CliCommand =
  | { command: 'chat'; json: boolean; options: ChatOptions }
  | { command: 'nlu'; options: ChatOptions }
  | { command: 'serve'; options: ChatOptions }
  | { command: 'slack'; options: ChatOptions }
  | { command: 'plan'; export?: string; options: ChatOptions }
  | { command: 'help' }
  | { command: 'version' };

export const USAGE = `Usage:
  coach [--user ID] [--lang zh|en] [--store URL] [--seed N]   chat in the terminal
  coach --json [options]                                       line protocol: one JSON object per input line
  coach nlu                                                    one NLU reading (JSON) per input line
  coach plan --export FILE.md [options]                        write the user's negotiation plan as Markdown
  coach serve [options]                                        HTTP server (Bot Framework, Slack)
  coach slack [options]                                        Slack over Socket Mode
Options:
  --user ID      whose state (default: local)
  --lang zh|en   force the reply language (default: detect per message)
  --store URL    memory | sqlite:PATH | redis://HOST:PORT[/DB] (default: sqlite under COACH_DATA_DIR)
  --seed N       make every random choice repeatable (also COACH_SEED)`;

const SUBCOMMANDS = new Set(['nlu', 'serve', 'slack', 'plan']);

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        user: { type: 'string' },
        lang: { type: 'string' },
        store: { type: 'string' },
        seed: { type: 'string' },
        export: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const sub = positionals[0];
  if (sub !== undefined && !SUBCOMMANDS.has(sub)) throw new UsageError(`unknown command "${sub}"`);

  const options: ChatOptions = { user: values.user ?? 'local' };
  if (values.user !== undefined && !/^[\w.@:-]{1,128}$/.test(values.user)) {
    throw new UsageError('--user must be 1-128 letters, digits or . _ @ : -');
  }
  if (values.lang !== undefined) {
    if (values.lang !== 'zh' && values.lang !== 'en') throw new UsageError('--lang must be zh or en');
    options.lang = values.lang;
  }
  if (values.store !== undefined) {
    try {
      parseStoreUrl(values.store);
    } catch (err) {
      if (err instanceof StoreUrlError) throw new UsageError(`--store: ${err.message}`);
      throw err;
    }
    options.store = values.store;
  }
  const seed = values.seed ?? env.COACH_SEED;
  if (seed !== undefined && seed !== '') {
    if (!/^-?\d{1,15}$/.test(seed)) throw new UsageError('--seed must be a whole number');
    options.seed = Number(seed);
  }
  if (values.json && sub !== undefined) throw new UsageError(`--json does not go with "${sub}"`);
  if (values.export !== undefined && sub !== 'plan') throw new UsageError('--export goes with "coach plan"');

  switch (sub) {
    case undefined:
      return { command: 'chat', json: values.json ?? false, options };
    case 'plan':
      if (!values.export) throw new UsageError('coach plan needs --export FILE.md');
      return { command: 'plan', export: values.export, options };
    case 'nlu':
    case 'serve':
    case 'slack':
      return { command: sub, options };
    default:
      throw new UsageError(`unknown command "${sub}"`);
  }
}
