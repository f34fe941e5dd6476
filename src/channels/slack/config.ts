/** Slack settings from the environment (CONTRACTS section 6). */
export interface SlackConfig {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Base URL of the Slack Web API (a local stub in tests). */
  apiUrl?: string;
}

function apiUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.SLACK_API_URL?.trim();
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

/** HTTP mode (coach serve): needs the signing secret and the bot token. */
export function slackHttpConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  if (!env.SLACK_SIGNING_SECRET || !env.SLACK_BOT_TOKEN) return undefined;
  return { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, apiUrl: apiUrl(env) };
}

/** Socket Mode (coach slack): needs the app-level token and the bot token. */
export function slackSocketConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  if (!env.SLACK_APP_TOKEN || !env.SLACK_BOT_TOKEN) return undefined;
  return { botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN, apiUrl: apiUrl(env) };
}
