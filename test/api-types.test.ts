import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../scripts/gen-api-types.js';
import { createTestDatabase } from './helpers/database.js';

/**
 * The console's API types are generated from the server's OpenAPI document and committed; when a
 * route's schema changes, the committed file no longer matches and this fails until
 * `npm run gen:api-types` is run and the console type-checks against the new shapes.
 */
describe('web/src/generated/api.d.ts', () => {
  it("is what the server's OpenAPI document generates today", async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    // A clone of the run's migrated database: an empty one would run initdb and every migration first.
    const database = await createTestDatabase();
    try {
      const current = await generateApiTypes(database);
      expect(current, 'web/src/generated/api.d.ts is stale: run `npm run gen:api-types`').toBe(committed);
    } finally {
      await database.close();
    }
  });
});
