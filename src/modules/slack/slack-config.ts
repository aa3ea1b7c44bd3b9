import { z } from 'zod';

/** The Slack app: one bot for the whole server (https://api.slack.com/authentication/token-types#bot). */
export interface SlackConfig {
  /** SLACK_BOT_TOKEN: the bot user OAuth token (`xoxb-…`). */
  botToken: string;
  /** SLACK_SIGNING_SECRET: verifies the requests Slack sends (button presses, the slash command). */
  signingSecret: string;
  /** SLACK_API_URL: the Web API base, without a trailing slash (tests point it at a loopback fake). */
  apiUrl: string;
}

/** The environment variables of the Slack app, spread into config.ts's schema. */
export const slackEnvironment = {
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xox[a-z]-[0-9A-Za-z-]{8,}$/, 'must be the bot token of the Slack app (xoxb-…)')
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^[0-9A-Za-z]{16,128}$/, "must be the app's signing secret (from the app's Basic Information)")
    .optional(),
  SLACK_API_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+(\/.*)?$/, 'must be an http:// or https:// URL')
    .default('https://slack.com/api'),
};

type SlackEnvironment = z.output<z.ZodObject<typeof slackEnvironment>>;

/** The token and the signing secret go together: one without the other names the missing one. */
export function slackEnvironmentIssues(env: SlackEnvironment): Array<{ path: string; message: string }> {
  if ((env.SLACK_BOT_TOKEN === undefined) === (env.SLACK_SIGNING_SECRET === undefined)) return [];
  const missing = env.SLACK_BOT_TOKEN === undefined ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET';
  return [{ path: missing, message: 'is required with the other Slack variable (give both, or neither)' }];
}

export function slackConfigOf(env: SlackEnvironment): SlackConfig | undefined {
  if (env.SLACK_BOT_TOKEN === undefined || env.SLACK_SIGNING_SECRET === undefined) return undefined;
  return {
    botToken: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    apiUrl: env.SLACK_API_URL.replace(/\/+$/, ''),
  };
}
