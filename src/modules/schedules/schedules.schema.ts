import { z } from 'zod';
import { TURN_UNITS } from '../../core/schedules.js';
import { displayName } from '../../lib/display-name.js';
import { isValidTimeZone } from './local-time.js';

const name = displayName(100);
const description = z.string().max(500).nullable();
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, 'must be an IANA time zone name such as Europe/Berlin');
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00–23:59)');
const weekday = z.number().int().min(1).max(7);

export const MAX_TURN_LENGTH = { hours: 24 * 366, days: 366, weeks: 53 } as const;
export const MAX_RANGE_DAYS = 400;
export const MAX_PARTICIPANTS = 100;

const restriction = z.strictObject({
  days: z
    .array(weekday)
    .min(1)
    .max(7)
    .optional()
    .describe('ISO weekdays (1 = Monday) a window starts on; all if absent'),
  start: timeOfDay,
  end: timeOfDay.describe('At or before start: the window ends the next day (equal: 24 hours)'),
});

/** The rotation fields of a layer: each change becomes a new version. */
const rotationFields = {
  turnUnit: z.enum(TURN_UNITS),
  turnLength: z.number().int().min(1),
  handoffTime: timeOfDay.nullable().describe('Local handoff time for days/weeks; default: the local time of startsAt'),
  handoffWeekday: weekday.nullable().describe('Handoff weekday for weeks; default: the weekday of startsAt'),
  restrictions: z.array(restriction).max(20),
  participantIds: z.array(z.uuid()).max(MAX_PARTICIPANTS).describe('In rotation order; members of the owning team'),
};

function checkRotation(
  value: Partial<{ turnUnit: string; turnLength: number; handoffTime: string | null; handoffWeekday: number | null }>,
  ctx: z.RefinementCtx,
) {
  const unit = value.turnUnit as keyof typeof MAX_TURN_LENGTH | undefined;
  if (unit !== undefined && value.turnLength !== undefined && value.turnLength > MAX_TURN_LENGTH[unit]) {
    ctx.addIssue({ code: 'custom', path: ['turnLength'], message: `at most ${MAX_TURN_LENGTH[unit]} ${unit}` });
  }
  if (unit === 'hours' && value.handoffTime != null) {
    ctx.addIssue({
      code: 'custom',
      path: ['handoffTime'],
      message: 'hourly turns hand off every turnLength hours from startsAt',
    });
  }
  if (unit !== undefined && unit !== 'weeks' && value.handoffWeekday != null) {
    ctx.addIssue({ code: 'custom', path: ['handoffWeekday'], message: 'only for weekly turns' });
  }
}

export const scheduleIdParams = z.object({ id: z.uuid() });
export const layerParams = z.object({ id: z.uuid(), layerId: z.uuid() });
export const overrideParams = z.object({ id: z.uuid(), overrideId: z.uuid() });
export const feedIdParams = z.object({ id: z.uuid() });
export const userIdParams = z.object({ id: z.uuid() });
export const icalParams = z.object({ file: z.string().max(200) });

export const createScheduleBody = z.strictObject({
  teamId: z.uuid(),
  name,
  description: description.optional(),
  timeZone,
});
export const updateScheduleBody = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  timeZone: timeZone.optional(),
});
export const listSchedulesQuery = z.object({ teamId: z.uuid().optional() });

export const createLayerBody = z
  .strictObject({
    name,
    position: z.number().int().min(1).optional().describe('1 = lowest; default: on top of the existing layers'),
    timeZone: timeZone
      .nullable()
      .optional()
      .describe("The layer's own zone for handoffs and restrictions (e.g. follow-the-sun); default: the schedule's"),
    startsAt: instant,
    endsAt: instant.nullable().optional(),
    turnUnit: rotationFields.turnUnit,
    turnLength: rotationFields.turnLength,
    handoffTime: rotationFields.handoffTime.optional(),
    handoffWeekday: rotationFields.handoffWeekday.optional(),
    restrictions: rotationFields.restrictions.default([]),
    participantIds: rotationFields.participantIds,
  })
  .superRefine((value, ctx) => {
    checkRotation(value, ctx);
    if (value.endsAt != null && value.endsAt <= value.startsAt) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
  });

export const updateLayerBody = z
  .strictObject({
    name: name.optional(),
    position: z.number().int().min(1).optional(),
    endsAt: instant.nullable().optional().describe('Not in the past: ending a layer never rewrites history'),
    turnUnit: rotationFields.turnUnit.optional(),
    turnLength: rotationFields.turnLength.optional(),
    handoffTime: rotationFields.handoffTime.optional(),
    handoffWeekday: rotationFields.handoffWeekday.optional(),
    restrictions: rotationFields.restrictions.optional(),
    participantIds: rotationFields.participantIds.optional(),
    effectiveFrom: instant
      .optional()
      .describe('When rotation changes take effect (default and earliest: now); they start at the next handoff'),
    startIndex: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Who in participantIds takes the first new turn; default: the rotation carries on'),
  })
  .superRefine(checkRotation);

export const createOverrideBody = z
  .strictObject({
    userId: z.uuid(),
    startsAt: instant,
    endsAt: instant,
    note: z.string().max(500).nullable().optional(),
  })
  .refine((value) => value.endsAt > value.startsAt, { path: ['endsAt'], message: 'must be after startsAt' });

export const updateOverrideBody = z
  .strictObject({
    userId: z.uuid().optional(),
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    note: z.string().max(500).nullable().optional(),
  })
  .refine((value) => value.startsAt === undefined || value.endsAt === undefined || value.endsAt > value.startsAt, {
    path: ['endsAt'],
    message: 'must be after startsAt',
  });

export const rangeQuery = z.object({
  from: instant.optional().describe('Default: now'),
  to: instant
    .optional()
    .describe(`Default: from + 7 days (schedules) or 30 days (users); at most ${MAX_RANGE_DAYS} days`),
});
export const atQuery = z.object({ at: instant.optional().describe('Default: now') });

const userSummary = z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() });

export const layerVersionSchema = z.object({
  effectiveFrom: z.string(),
  turnUnit: z.enum(TURN_UNITS),
  turnLength: z.number().int(),
  handoffTime: z.string().nullable(),
  handoffWeekday: z.number().int().nullable(),
  restrictions: z.array(restriction),
  participantIds: z.array(z.string()),
  startIndex: z.number().int(),
  createdAt: z.string(),
});

export const layerSchema = z.object({
  id: z.uuid(),
  scheduleId: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  timeZone: z.string().nullable().describe("null: the schedule's"),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  turnUnit: z.enum(TURN_UNITS),
  turnLength: z.number().int(),
  handoffTime: z.string().nullable(),
  handoffWeekday: z.number().int().nullable(),
  restrictions: z.array(restriction),
  participantIds: z.array(z.string()),
  versions: z.array(layerVersionSchema).describe('The rotation history, oldest first; the fields above are the latest'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const overrideSchema = z.object({
  id: z.uuid(),
  scheduleId: z.uuid(),
  userId: z.uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});

export const scheduleSchema = z.object({
  id: z.uuid(),
  teamId: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  timeZone: z.string(),
  canManage: z.boolean().describe('Whether the caller may change this schedule'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const scheduleDetailSchema = scheduleSchema.extend({ layers: z.array(layerSchema) });

export const spanSchema = z.object({
  userId: z.uuid(),
  start: z.string(),
  end: z.string(),
  layerId: z.uuid().nullable(),
  overrideId: z.uuid().nullable(),
});

export const boundedSpanSchema = spanSchema.extend({
  shiftStart: z
    .string()
    .nullable()
    .describe('When the whole shift starts, which may be before `from`; null: further back than 200 days'),
  shiftEnd: z
    .string()
    .nullable()
    .describe('When the whole shift ends, which may be after `to`; null: further ahead than 200 days'),
});

export const spansResponse = z.object({
  scheduleId: z.uuid(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  spans: z
    .array(boundedSpanSchema)
    .describe('The final timeline: overrides, then the highest layer covering each instant'),
  layers: z.array(
    z.object({ layerId: z.uuid(), name: z.string(), position: z.number().int(), spans: z.array(spanSchema) }),
  ),
  users: z.array(userSummary),
});

export const oncallResponse = z.object({
  scheduleId: z.uuid(),
  at: z.string(),
  oncall: z.array(spanSchema.extend({ user: userSummary.nullable() })).describe('Empty when nobody is on call'),
});

export const userShiftsResponse = z.object({
  userId: z.uuid(),
  from: z.string(),
  to: z.string(),
  shifts: z.array(spanSchema.extend({ scheduleId: z.uuid(), scheduleName: z.string(), teamId: z.uuid() })),
});

export const icalFeedSchema = z.object({
  id: z.uuid(),
  scheduleId: z.uuid().nullable(),
  userId: z.uuid().nullable(),
  tokenPrefix: z.string(),
  createdBy: z.uuid(),
  createdAt: z.string(),
});

export const createdIcalFeedSchema = icalFeedSchema.extend({
  url: z.string().describe('/ical/<token>.ics — shown this once; anyone holding it can read the feed'),
});
