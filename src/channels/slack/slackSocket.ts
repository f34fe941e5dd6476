/** Slack over Socket Mode (`coach slack`): no public URL; the app connects out to Slack. */
import { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../log/logger';
import type { CoachRuntime } from '../../app/createApp';
import type { SlackConfig } from './config';
import { boltLogger, createSlackApp, type SlackChannel } from './slackApp';

export function createSocketModeChannel(
  runtime: CoachRuntime,
  config: SlackConfig,
  logger: Logger,
): SlackChannel {
  const receiver = new SocketModeReceiver({
    appToken: config.appToken ?? '',
    // The Socket Mode client asks the Web API (apps.connections.open) where to connect:
    // SLACK_API_URL points that call, like every other, at the configured API.
    installerOptions: { clientOptions: config.apiUrl ? { slackApiUrl: config.apiUrl } : {} },
    autoReconnectEnabled: true,
    logger: boltLogger(logger),
  });
  return createSlackApp(config, receiver, runtime, logger);
}
