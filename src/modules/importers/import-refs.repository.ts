import { and, eq } from 'drizzle-orm';
import type { ImportVendor } from '../../core/imports.js';
import type { Executor } from '../../db/client.js';
import {
  escalationPolicies,
  importRefs,
  integrations,
  maintenanceWindows,
  routingRules,
  scheduleLayers,
  scheduleOverrides,
  schedules,
  teams,
  users,
} from '../../db/schema/index.js';

/** The Klaxon tables an imported object can become, by the kind recorded in `import_refs`. */
const TARGETS = {
  user: users,
  team: teams,
  schedule: schedules,
  layer: scheduleLayers,
  override: scheduleOverrides,
  policy: escalationPolicies,
  integration: integrations,
  'routing-rule': routingRules,
  maintenance: maintenanceWindows,
} as const;

export type ImportKind = keyof typeof TARGETS;

export function createImportRefsRepository() {
  return {
    /** The Klaxon id an earlier run made from this object, if that row still exists. */
    async find(executor: Executor, vendor: ImportVendor, kind: ImportKind, externalId: string) {
      const [ref] = await executor
        .select({ klaxonId: importRefs.klaxonId })
        .from(importRefs)
        .where(and(eq(importRefs.vendor, vendor), eq(importRefs.kind, kind), eq(importRefs.externalId, externalId)));
      if (ref === undefined) return undefined;
      const table = TARGETS[kind];
      const [target] = await executor.select({ id: table.id }).from(table).where(eq(table.id, ref.klaxonId));
      return target?.id;
    },

    async record(executor: Executor, vendor: ImportVendor, kind: ImportKind, externalId: string, klaxonId: string) {
      await executor
        .insert(importRefs)
        .values({ vendor, kind, externalId, klaxonId })
        .onConflictDoUpdate({
          target: [importRefs.vendor, importRefs.kind, importRefs.externalId],
          set: { klaxonId, createdAt: new Date() },
        });
    },
  };
}

export type ImportRefsRepository = ReturnType<typeof createImportRefsRepository>;
