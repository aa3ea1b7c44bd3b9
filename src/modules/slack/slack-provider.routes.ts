import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import type { SlackBlockAction, SlackService } from './slack.service.js';
import type { SlackConfig } from './slack-config.js';
import { verifySlackSignature } from './slack-signature.js';

export const SLACK_INTERACTIONS_PATH = '/api/providers/slack/interactions';
export const SLACK_COMMANDS_PATH = '/api/providers/slack/commands';

const providerBody = z.unknown().describe('As Slack sends it: form-encoded; verified by X-Slack-Signature');

/** The fields of a `block_actions` payload Klaxon reads; anything else in it is ignored. */
function blockActionOf(payload: unknown): SlackBlockAction | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as {
    type?: unknown;
    user?: { id?: unknown };
    channel?: { id?: unknown };
    container?: { channel_id?: unknown };
    actions?: Array<{ action_id?: unknown; value?: unknown }>;
  };
  const action = Array.isArray(p.actions) ? p.actions[0] : undefined;
  if (p.type !== 'block_actions' || typeof p.user?.id !== 'string' || action === undefined) return undefined;
  if (typeof action.action_id !== 'string' || typeof action.value !== 'string') return undefined;
  const channel = typeof p.channel?.id === 'string' ? p.channel.id : p.container?.channel_id;
  return {
    slackUserId: p.user.id,
    channelId: typeof channel === 'string' ? channel : undefined,
    actionId: action.action_id,
    value: action.value,
  };
}

/**
 * Requests from Slack: button presses on incident messages and the `/klaxon` slash command. Each
 * is verified (X-Slack-Signature v0, timestamp within 5 minutes, constant time) before anything
 * is read; a missing or bad signature is 403 and changes nothing, and a replay of a request
 * already handled is answered without acting again.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
export const slackProviderRoutes: FastifyPluginAsyncZod<{
  service: SlackService;
  config: SlackConfig | undefined;
  now: () => Date;
}> = async (app, { service, config, now }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const route = { config: { access: 'public' as const } };
  const tags = ['providers'];

  /** The verified form fields of a Slack request, or false when it is a replay. */
  async function verified(headers: Record<string, unknown>, body: unknown) {
    if (config === undefined) throw new AppError('not-found', 'The Slack app is not configured');
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const signature = headers['x-slack-signature'];
    const timestamp = headers['x-slack-request-timestamp'];
    if (!verifySlackSignature(config.signingSecret, { timestamp, signature }, raw, now())) {
      throw new AppError('invalid-provider-signature');
    }
    if (!(await service.firstSighting(String(signature)))) return false;
    return new URLSearchParams(raw.toString('utf8'));
  }

  app.post(
    SLACK_INTERACTIONS_PATH,
    {
      ...route,
      schema: {
        tags,
        summary: 'Slack interactivity (Acknowledge, Resolve, Escalate buttons)',
        security: [],
        body: providerBody,
      },
    },
    async (request, reply) => {
      const form = await verified(request.headers, request.body);
      if (form === false) return reply.code(200).send();
      let payload: unknown;
      try {
        payload = JSON.parse(form.get('payload') ?? '');
      } catch {
        throw new AppError('bad-request', 'Expected a payload field with JSON');
      }
      const action = blockActionOf(payload);
      if (action !== undefined) await service.interaction(action);
      // Slack wants a 200 within 3 seconds; the message is updated with chat.update.
      return reply.code(200).send();
    },
  );

  app.post(
    SLACK_COMMANDS_PATH,
    {
      ...route,
      schema: { tags, summary: 'Slack slash command: /klaxon oncall [team]', security: [], body: providerBody },
    },
    async (request, reply) => {
      const form = await verified(request.headers, request.body);
      if (form === false) return reply.code(200).send();
      const text = await service.slashCommand(form.get('user_id') ?? '', form.get('text') ?? '');
      return reply.code(200).send({ response_type: 'ephemeral', text });
    },
  );
};
