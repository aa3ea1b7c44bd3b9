import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { principalOf } from '../../plugins/auth.js';
import type { SlackService } from './slack.service.js';

const linkSchema = z.object({
  configured: z.boolean().describe('Whether the server has a Slack app (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)'),
  linked: z.boolean(),
  slackUserId: z.string().nullable(),
});

const teamChannelSchema = z.object({
  configured: z.boolean(),
  channelId: z.string().nullable(),
});

/** The caller's own Slack link, and a team's Slack channel. */
export const slackRoutes: FastifyPluginAsyncZod<{ service: SlackService }> = async (app, { service }) => {
  const user = { access: 'user' as const };
  const tags = ['slack'];

  app.get(
    '/api/slack/link',
    { config: user, schema: { tags, summary: "The caller's Slack link", response: { 200: linkSchema } } },
    async (request) => service.linkStatus(principalOf(request)),
  );

  app.post(
    '/api/slack/link',
    {
      config: user,
      schema: {
        tags,
        summary: "Link the caller's Slack account (the workspace member with the caller's email) and DM it",
        response: { 200: linkSchema },
      },
    },
    async (request) => service.link(principalOf(request)),
  );

  app.delete(
    '/api/slack/link',
    { config: user, schema: { tags, summary: "Unlink the caller's Slack account" } },
    async (request, reply) => {
      await service.unlink(principalOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/slack/link/test',
    { config: user, schema: { tags, summary: "Send a test DM to the caller's linked Slack account" } },
    async (request, reply) => {
      await service.sendTest(principalOf(request));
      return reply.code(204).send();
    },
  );

  const params = z.object({ id: z.uuid() });
  app.get(
    '/api/teams/:id/slack-channel',
    {
      config: user,
      schema: { tags, summary: "The team's Slack channel", params, response: { 200: teamChannelSchema } },
    },
    async (request) => service.getTeamChannel(principalOf(request), request.params.id),
  );

  app.put(
    '/api/teams/:id/slack-channel',
    {
      config: user,
      schema: {
        tags,
        summary: "Set the team's Slack channel (managers); null removes it",
        params,
        body: z.strictObject({
          channelId: z
            .string()
            .regex(/^[CG][A-Z0-9]{2,30}$/, 'must be a Slack channel id (C… or G…, from the channel details)')
            .nullable(),
        }),
        response: { 200: teamChannelSchema },
      },
    },
    async (request) => {
      if (!service.configured && request.body.channelId !== null) throw new AppError('slack-not-configured');
      return service.setTeamChannel(principalOf(request), request.params.id, request.body.channelId);
    },
  );
};
