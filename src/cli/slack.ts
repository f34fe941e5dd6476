/** `coach slack`: runs the coach in Slack over Socket Mode until SIGTERM/SIGINT. */
import { slackSocketConfig } from '../channels/slack/config';
import { createSocketModeChannel } from '../channels/slack/slackSocket';
import { createLogger, setLogMasker } from '../log/logger';
import { maskPii } from '../privacy/pii';
import { createApp } from '../app/createApp';
import type { ChatOptions } from './args';

export async function slack(options: ChatOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = slackSocketConfig(env);
  if (!config) {
    process.stderr.write(
      'coach slack: set SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…); see README\n',
    );
    return 2;
  }
  setLogMasker(maskPii);
  const logger = createLogger(
    { service: 'coach', channel: 'slack' },
    (env.LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error') || 'info',
  );
  const runtime = await createApp({ store: options.store, seed: options.seed, logger });
  const channel = createSocketModeChannel(runtime, config, logger);
  await channel.app.start();
  process.stderr.write('coach slack: connected over Socket Mode\n');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await channel.app.stop();
  await runtime.close();
  return 0;
}
