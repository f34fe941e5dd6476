/**
 * `coach serve`: the HTTP server (Bot Framework, and Slack when configured). Logs are JSON on
 * stderr with personal data masked; SIGTERM/SIGINT stop it gracefully (stop accepting, finish
 * in-flight turns, close the store, exit 0).
 */
import { format } from 'node:util';
import { startServer, serveConfigFromEnv, hasCredentials, ServeConfigError } from '../channels/http/server';
import { createLogger, parseLevel, type Logger } from '../log/logger';
import { createApp } from '../app/createApp';
import type { ChatOptions } from './args';

/** Dependencies print with console.*; in a server those lines become masked JSON logs. */
export function routeConsoleTo(logger: Logger): void {
  /* eslint-disable no-console -- this is where console output is taken over */
  console.log = (...a: unknown[]) => logger.info(format(...a));
  console.info = (...a: unknown[]) => logger.info(format(...a));
  console.warn = (...a: unknown[]) => logger.warn(format(...a));
  console.error = (...a: unknown[]) => logger.error(format(...a));
  console.debug = (...a: unknown[]) => logger.debug(format(...a));
  /* eslint-enable no-console */
}

/** A one-line reason when the server could not listen (port taken, no permission, no such address). */
function listenProblem(err: unknown, config: { port: number; host: string }): string | undefined {
  switch ((err as { code?: unknown })?.code) {
    case 'EADDRINUSE':
      return `port ${config.port} is in use (set PORT to another one)`;
    case 'EACCES':
      return `no permission to listen on port ${config.port} (use a port above 1023)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${config.host}: no such address on this machine`;
    default:
      return undefined;
  }
}

export async function serve(options: ChatOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config;
  try {
    config = serveConfigFromEnv(env);
  } catch (err) {
    if (err instanceof ServeConfigError) {
      process.stderr.write(`coach serve: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({ service: 'coach' }, parseLevel(env.LOG_LEVEL, 'info'));
  routeConsoleTo(logger);
  // No request may end the process: a promise some library forgets to handle is logged, not fatal.
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection (the server goes on)', { error: reason });
  });
  const runtime = await createApp({ store: options.store, seed: options.seed, logger });
  let server;
  try {
    const { slackConfigFromEnv, mountSlack } = await import('../channels/slack/slackHttp');
    const slack = slackConfigFromEnv(env);
    server = await startServer(runtime, config, logger, {
      mount: slack
        ? (app, metrics) => {
            mountSlack(app, runtime, slack, logger, metrics);
          }
        : undefined,
    });
    const auth = hasCredentials(config) ? 'Bot Framework token required' : 'NO authentication (local use)';
    process.stderr.write(
      `coach serve: listening on http://${config.host}:${server.port} — web chat at /, /api/messages (${auth})` +
        `${slack ? ', /slack/events' : ''}, /healthz, /metrics\n`,
    );
    if (!hasCredentials(config)) {
      logger.warn('no MicrosoftAppId set: /api/messages accepts unauthenticated requests', {
        host: config.host,
        allowUnauthenticated: config.allowUnauthenticated,
      });
    }
  } catch (err) {
    await runtime.close();
    if (err instanceof ServeConfigError) {
      process.stderr.write(`coach serve: ${err.message}\n`);
      return 2;
    }
    const listening = listenProblem(err, config);
    if (listening) {
      process.stderr.write(`coach serve: ${listening}\n`);
      return 1;
    }
    throw err;
  }
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info('shutting down', { signal, inFlight: running.inFlight() });
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await running.shutdown();
  logger.info('stopped');
  return 0;
}
