/** Slack over HTTP: POST /slack/events on the `coach serve` server, signatures checked by Bolt. */
import { ExpressReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { Logger } from '../../log/logger';
import type { CoachMetrics } from '../../ops/metrics';
import type { CoachRuntime } from '../../runtime/createRuntime';
import { slackHttpConfig, type SlackConfig } from './config';
import { boltLogger, createSlackApp, type SlackChannel } from './slackApp';

export { slackHttpConfig as slackConfigFromEnv };

export function mountSlack(
  app: Express,
  runtime: CoachRuntime,
  config: SlackConfig,
  logger: Logger,
  metrics?: CoachMetrics,
): SlackChannel {
  const receiver = new ExpressReceiver({
    signingSecret: config.signingSecret ?? '',
    app,
    endpoints: '/slack/events',
    // Ack first, work after: Slack gets its answer within 3 seconds whatever the coach does.
    processBeforeResponse: false,
    unhandledRequestHandler: ({ logger: l }) => l.warn('slack: request not acknowledged in time'),
    logger: boltLogger(logger),
    // The same body limit as the Bot Framework route.
    bodyLimit: 256 * 1024,
  });
  const channel = createSlackApp(config, receiver, runtime, logger);
  channel.app.use(async ({ next }) => {
    metrics?.turns.labels('slack', 'event').inc();
    await next();
  });
  return channel;
}
