/**
 * Slack over HTTP: POST /slack/events on the `coach serve` server. A gate (requestGuard) checks
 * the signature, its timestamp window and the body's shape before Bolt, which checks the
 * signature again and routes what is left to the listeners.
 */
import { ExpressReceiver } from '@slack/bolt';
import { Router, type Express } from 'express';
import type { Logger } from '../../log/logger';
import type { CoachMetrics } from '../../ops/metrics';
import type { CoachRuntime } from '../../app/createApp';
import { slackHttpConfig, type SlackConfig } from './config';
import { slackRequestGuard } from './requestGuard';
import { boltLogger, createSlackApp, type SlackChannel } from './slackApp';

export { slackHttpConfig as slackConfigFromEnv };

const SLACK_EVENTS_PATH = '/slack/events';
/** The same body limit as the Bot Framework route. */
const BODY_LIMIT = 256 * 1024;

export function mountSlack(
  app: Express,
  runtime: CoachRuntime,
  config: SlackConfig,
  logger: Logger,
  metrics?: CoachMetrics,
): SlackChannel {
  const signingSecret = config.signingSecret ?? '';
  // Bolt adds its own handlers for the path to this router, after the gate.
  const router = Router();
  router.post(SLACK_EVENTS_PATH, ...slackRequestGuard(signingSecret, BODY_LIMIT, logger));
  const receiver = new ExpressReceiver({
    signingSecret,
    app,
    router,
    endpoints: SLACK_EVENTS_PATH,
    // Ack first, work after: Slack gets its answer within 3 seconds whatever the coach does.
    processBeforeResponse: false,
    // A request Bolt routed but no listener acknowledged (a slash command other than /coach, a
    // kind of click the coach has no handler for): end it rather than leave it open.
    unhandledRequestHandler: ({ logger: l, response }) => {
      l.warn('slack: request not acknowledged by any listener');
      if (!response.headersSent) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'nothing here handles this request' }));
      }
    },
    logger: boltLogger(logger),
    bodyLimit: BODY_LIMIT,
  });
  const channel = createSlackApp(config, receiver, runtime, logger);
  channel.app.use(async ({ next }) => {
    metrics?.turns.labels('slack', 'event').inc();
    await next();
  });
  return channel;
}
