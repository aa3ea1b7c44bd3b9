/**
 * The console's API types, generated from the server's own OpenAPI document: the app is built
 * in-process on an empty in-memory PGlite (nothing listens) and `app.swagger()` is turned into
 * TypeScript by openapi-typescript. `npm run gen:api-types` writes web/src/generated/api.d.ts;
 * test/api-types.test.ts regenerates it and fails when the committed file differs, so a route
 * whose shape changes without the console following fails CI.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import openapiTS, { type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { type DatabaseHandle, wrapPglite } from '../src/db/client.js';

export const API_TYPES_FILE = fileURLToPath(new URL('../web/src/generated/api.d.ts', import.meta.url));

const HEADER = `/**
 * Generated from the server's /openapi.json by \`npm run gen:api-types\` (scripts/gen-api-types.ts).
 * Do not edit: change the route's schema and regenerate. test/api-types.test.ts fails when this
 * file and the server disagree.
 */
`;

/**
 * The server's OpenAPI document, from an app that is built and closed again: on `migrated` when
 * given (the test passes its clone of the run's migrated snapshot; the caller closes it), otherwise
 * on an empty in-memory PGlite that is created, migrated and closed here.
 */
export async function currentOpenApiDocument(migrated?: DatabaseHandle): Promise<OpenAPI3> {
  const database = migrated ?? wrapPglite(await PGlite.create());
  try {
    if (migrated === undefined) await database.migrate();
    const app = await buildApp({
      database,
      masterKey: randomBytes(32),
      bodyLimitBytes: 512 * 1024,
      webhookRateLimitPerMinute: 120,
      logger: false,
    });
    try {
      await app.ready();
      return app.swagger() as OpenAPI3;
    } finally {
      await app.close();
    }
  } finally {
    if (migrated === undefined) await database.close();
  }
}

/** The file's text: the same document always gives the same text. */
export async function generateApiTypes(migrated?: DatabaseHandle): Promise<string> {
  const types = await openapiTS(await currentOpenApiDocument(migrated), {
    commentHeader: HEADER,
    alphabetize: true,
    exportType: true,
  });
  return types;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(API_TYPES_FILE, await generateApiTypes());
  console.log(`wrote ${API_TYPES_FILE}`);
}
