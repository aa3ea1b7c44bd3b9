import { inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { escalationPolicies, integrations, schedules, teams, users } from '../../db/schema/index.js';

/**
 * Display names for the ids an audit page mentions (actors, resources, ids in metadata), so the
 * log reads "Bob added Alice to Storage" rather than three uuids. Only names are read: never a
 * secret, a hash or a token. Deleted resources have no name here; their entries keep the name
 * they had in their metadata.
 */
export function createAuditNamesRepository() {
  return {
    async namesOf(executor: Executor, ids: string[]): Promise<Record<string, string>> {
      if (ids.length === 0) return {};
      const [people, teamRows, integrationRows, scheduleRows, policyRows] = await Promise.all([
        executor
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(inArray(users.id, ids)),
        executor.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, ids)),
        executor
          .select({ id: integrations.id, name: integrations.name })
          .from(integrations)
          .where(inArray(integrations.id, ids)),
        executor.select({ id: schedules.id, name: schedules.name }).from(schedules).where(inArray(schedules.id, ids)),
        executor
          .select({ id: escalationPolicies.id, name: escalationPolicies.name })
          .from(escalationPolicies)
          .where(inArray(escalationPolicies.id, ids)),
      ]);
      const names: Record<string, string> = {};
      for (const row of [...teamRows, ...integrationRows, ...scheduleRows, ...policyRows]) names[row.id] = row.name;
      for (const person of people) names[person.id] = person.name ? `${person.name} <${person.email}>` : person.email;
      return names;
    },
  };
}

export type AuditNamesRepository = ReturnType<typeof createAuditNamesRepository>;
