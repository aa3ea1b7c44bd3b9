import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { verifyActionToken } from '../incidents/action-tokens.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import { MATTERMOST_ACTIONS_PATH, mattermostAttachment, mattermostButton } from './channels/mattermost.js';

/**
 * Button presses on Klaxon's Mattermost messages. Mattermost signs nothing, so the button's
 * `context.token` is the credential: a one-click token signed with a key derived from the master
 * key (checked in constant time), single-use and expiring. A token that is not ours is 401 and
 * changes nothing; a used or expired one is answered with an ephemeral note. The answer's
 * `update` rewrites the post in place with the incident's new state.
 * https://developers.mattermost.com/integrate/plugins/interactive-messages/
 */
export const mattermostActionsRoutes: FastifyPluginAsyncZod<{
  incidentsService: Pick<IncidentsService, 'actWithToken'>;
  actionTokenKey: Buffer;
  publicUrl: string;
}> = async (app, { incidentsService, actionTokenKey, publicUrl }) => {
  app.post(
    MATTERMOST_ACTIONS_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags: ['providers'],
        summary: 'Mattermost interactive message buttons (Acknowledge, Resolve)',
        security: [],
        // Mattermost's request carries more fields (user_id, channel_id, post_id…); only the context is ours.
        body: z.object({
          context: z.strictObject({
            token: z.string().max(200),
            resolveToken: z.string().max(200).optional(),
          }),
        }),
      },
    },
    async (request) => {
      const { token, resolveToken } = request.body.context;
      if (verifyActionToken(actionTokenKey, token) === undefined) {
        throw new AppError('invalid-signature', 'The action token is not valid');
      }
      try {
        const { incident, action, changed } = await incidentsService.actWithToken(token);
        const buttons =
          incident.status === 'acknowledged' && resolveToken !== undefined
            ? [mattermostButton('resolve', publicUrl, { token: resolveToken })]
            : [];
        const attachment = mattermostAttachment(
          incident,
          { consoleUrl: `${publicUrl}/incidents/${incident.id}` },
          buttons,
        );
        return {
          update: { message: '', props: { attachments: [attachment] } },
          ephemeral_text: changed
            ? `You ${action === 'acknowledge' ? 'acknowledged' : 'resolved'} the incident.`
            : `The incident is already ${incident.status}.`,
        };
      } catch (error) {
        if (error instanceof AppError && error.code === 'action-link-invalid') return { ephemeral_text: error.message };
        throw error;
      }
    },
  );
};
