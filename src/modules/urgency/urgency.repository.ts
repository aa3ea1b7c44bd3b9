import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type TeamUrgencySettingsRow, teamUrgencySettings } from '../../db/schema/index.js';
import { DEFAULT_URGENCY_SETTINGS, type UrgencySettings } from './support-hours.js';

export function createUrgencyRepository() {
  return {
    /** The team's settings, or the defaults when it has saved none. */
    async settingsOf(executor: Executor, teamId: string): Promise<UrgencySettings> {
      const [row] = await executor.select().from(teamUrgencySettings).where(eq(teamUrgencySettings.teamId, teamId));
      return row ?? DEFAULT_URGENCY_SETTINGS;
    },

    async upsert(executor: Executor, teamId: string, settings: UrgencySettings, at: Date) {
      const values = {
        highUrgencySeverities: [...settings.highUrgencySeverities],
        timeZone: settings.timeZone,
        windows: [...settings.windows],
        outsideHours: settings.outsideHours,
        updatedAt: at,
      };
      const [row] = await executor
        .insert(teamUrgencySettings)
        .values({ teamId, ...values })
        .onConflictDoUpdate({ target: teamUrgencySettings.teamId, set: values })
        .returning();
      if (row === undefined) throw new Error('urgency settings upsert returned no row');
      return row satisfies TeamUrgencySettingsRow;
    },
  };
}

export type UrgencyRepository = ReturnType<typeof createUrgencyRepository>;
