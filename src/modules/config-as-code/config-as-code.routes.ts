import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import type { ConfigAsCodeService } from './config-as-code.service.js';
import { CONFIG_KINDS, configDocumentSchema, configJsonSchema } from './config-document.js';

const changeSchema = z.object({
  kind: z.enum([...CONFIG_KINDS, 'users']),
  name: z.string(),
  action: z.enum(['create', 'update', 'delete', 'reorder']),
  fields: z.array(z.string()).optional(),
});

const applyBody = z.strictObject({
  document: configDocumentSchema,
  dryRun: z.boolean().default(false).describe('Only compute the changes'),
  prune: z.boolean().default(false).describe('Delete what the document does not name, of the kinds it names'),
});

/**
 * Configuration as code (`klaxon.yaml`), for platform admins: the CLI's `export` and `apply`
 * go through these routes. The JSON Schema of the file is public, for editors.
 */
export const configAsCodeRoutes: FastifyPluginAsyncZod<{ service: ConfigAsCodeService }> = async (app, { service }) => {
  const admin = { access: 'admin' as const };
  const tags = ['configuration'];
  const jsonSchema = configJsonSchema();

  app.get(
    '/klaxon.schema.json',
    { config: { access: 'public' }, schema: { tags, summary: 'JSON Schema of klaxon.yaml, for editors' } },
    async (_request, reply) => reply.type('application/schema+json').send(jsonSchema),
  );

  app.get(
    '/api/config',
    {
      config: admin,
      schema: { tags, summary: 'Export the configuration as a klaxon.yaml document (JSON)' },
    },
    async (request) => service.export(principalOf(request)),
  );

  app.post(
    '/api/config/apply',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Apply a klaxon.yaml document: the changes, made or (dryRun) planned',
        body: applyBody,
        response: {
          200: z.object({
            applied: z.boolean(),
            changes: z.array(changeSchema),
            secrets: z
              .array(
                z.object({
                  integration: z.string(),
                  webhookSecret: z.string(),
                  standardWebhooksSecret: z.string().optional(),
                }),
              )
              .describe('Secrets of the integrations created: shown this once'),
          }),
        },
      },
    },
    async (request) => {
      const { document, dryRun, prune } = request.body;
      return service.apply(principalOf(request), document, { dryRun, prune });
    },
  );
};
