import { z } from 'zod';
import type { MaintenanceWindowRow } from '../../db/schema/index.js';
import { displayName } from '../../lib/display-name.js';
import { isValidTimeZone } from '../schedules/local-time.js';
import { alertMatcherSchema, MAX_MATCHERS } from '../silences/silences.schema.js';
import { windowOccurrenceAt } from '../silences/suppression.js';

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const recurrenceSchema = z.strictObject({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('ISO weekdays: 1 = Monday … 7 = Sunday'),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  timeZone: z.string().max(100).refine(isValidTimeZone, 'must be an IANA time zone name such as Europe/Berlin'),
});

const scope = {
  integrationIds: z.array(z.uuid()).max(100),
  teamIds: z.array(z.uuid()).max(100),
  matchers: z.array(alertMatcherSchema).max(MAX_MATCHERS),
};

export const createWindowBody = z
  .strictObject({
    name: displayName(200),
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    recurrence: recurrenceSchema.optional(),
    integrationIds: scope.integrationIds.default([]),
    teamIds: scope.teamIds.default([]),
    matchers: scope.matchers.default([]),
    openIncidentsOnEnd: z.boolean().default(false),
  })
  .superRefine((timing, context) => {
    for (const issue of timingIssues(timing)) context.addIssue({ code: 'custom', ...issue, path: [issue.path] });
  });

export const updateWindowBody = z.strictObject({
  name: displayName(200).optional(),
  startsAt: instant.nullable().optional(),
  endsAt: instant.nullable().optional(),
  recurrence: recurrenceSchema.nullable().optional(),
  integrationIds: scope.integrationIds.optional(),
  teamIds: scope.teamIds.optional(),
  matchers: scope.matchers.optional(),
  openIncidentsOnEnd: z.boolean().optional(),
});

type Timing = { startsAt?: Date | null | undefined; endsAt?: Date | null | undefined; recurrence?: unknown };

/** Either a span (startsAt and endsAt, end after start) or a weekly recurrence, never both. */
export function timingIssues(timing: Timing): Array<{ path: string; message: string }> {
  const span = timing.startsAt != null || timing.endsAt != null;
  const recurring = timing.recurrence != null;
  if (span === recurring) return [{ path: 'recurrence', message: 'give startsAt and endsAt, or a recurrence' }];
  if (!span) return [];
  if (timing.startsAt == null || timing.endsAt == null) {
    return [{ path: 'endsAt', message: 'startsAt and endsAt go together' }];
  }
  if (timing.endsAt.getTime() <= timing.startsAt.getTime())
    return [{ path: 'endsAt', message: 'must be after startsAt' }];
  return [];
}

export const windowIdParams = z.strictObject({ id: z.uuid() });

const occurrence = z.object({ start: z.string(), end: z.string() }).nullable();

export const windowSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  recurrence: recurrenceSchema.nullable(),
  integrationIds: z.array(z.string()),
  teamIds: z.array(z.string()),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() })),
  openIncidentsOnEnd: z.boolean(),
  /** The occurrence in force now, if any. */
  inProgress: occurrence,
  createdByUserId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const windowsListSchema = z.object({ windows: z.array(windowSchema) });

export function toWindowDto(row: MaintenanceWindowRow, at: Date): z.infer<typeof windowSchema> {
  const current = windowOccurrenceAt(row, at);
  return {
    id: row.id,
    name: row.name,
    startsAt: row.startsAt?.toISOString() ?? null,
    endsAt: row.endsAt?.toISOString() ?? null,
    recurrence: row.recurrence,
    integrationIds: row.integrationIds,
    teamIds: row.teamIds,
    matchers: row.matchers,
    openIncidentsOnEnd: row.openIncidentsOnEnd,
    inProgress: current === undefined ? null : { start: current.start.toISOString(), end: current.end.toISOString() },
    createdByUserId: row.createdByUserId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
