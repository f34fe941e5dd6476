/**
 * The `coach` command. Parses the command line, builds the runtime and hands it to the chosen
 * channel. Exit codes (CONTRACTS section 1): 0 at end of input or /quit, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app/createApp';
import { TerminalChannel } from '../channels/terminal/terminalChannel';
import { projectRoot } from '../util/paths';
import { parseCli, USAGE, UsageError, type ChatOptions } from './args';
import { runInteractive } from './interactive';
import { runJsonLines } from './jsonLines';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function terminalLocale(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return raw && /^(zh|en)/i.test(raw) ? raw : undefined;
}

async function chat(options: ChatOptions, json: boolean): Promise<number> {
  const runtime = await createApp({ store: options.store, seed: options.seed });
  const channel = new TerminalChannel(runtime.app, {
    user: options.user,
    forceLang: options.lang,
    locale: terminalLocale(process.env),
  });
  try {
    if (json) await runJsonLines(channel, process.stdin, process.stdout);
    else
      await runInteractive(
        channel,
        {
          input: process.stdin,
          output: process.stdout,
          terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        },
        options.lang !== undefined,
      );
  } finally {
    await runtime.close();
  }
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  let cli;
  try {
    cli = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`coach: ${err.message} (see coach --help)\n`);
      return 2;
    }
    throw err;
  }
  switch (cli.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case 'chat':
      return chat(cli.options, cli.json);
    case 'nlu': {
      const { loadNlu } = await import('../nlu/loadNlu');
      const { runNluLines } = await import('./nluCommand');
      await runNluLines(loadNlu(), process.stdin, process.stdout, cli.options.lang);
      return 0;
    }
    case 'serve': {
      const { serve } = await import('./serve');
      return serve(cli.options);
    }
    case 'slack': {
      const { slack } = await import('./slack');
      return slack(cli.options);
    }
    case 'plan': {
      const { exportPlan } = await import('./exportPlan');
      return exportPlan(cli.options, cli.export ?? '');
    }
  }
}
