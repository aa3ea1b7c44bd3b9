import { z } from 'zod';
import type { AlertMatcher } from '../../core/noise-control.js';
import type { SilenceRow } from '../../db/schema/index.js';
import { MAX_REGEX_LENGTH, UnsafeRegexError } from '../routing/safe-regex.js';
import { anchoredRegex } from './alert-matchers.js';
import { silenceState } from './suppression.js';

export const MAX_MATCHERS = 20;
const MAX_VALUE_LENGTH = 1000;

/** Alertmanager's matcher, with its defaults: `isRegex` false, `isEqual` true. */
export const alertMatcherSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    value: z.string().max(MAX_VALUE_LENGTH),
    isRegex: z.boolean().default(false),
    isEqual: z.boolean().default(true),
  })
  .superRefine((matcher, context) => {
    if (!matcher.isRegex) return;
    if (matcher.value.length > MAX_REGEX_LENGTH - 6) {
      context.addIssue({ code: 'custom', path: ['value'], message: `regex longer than ${MAX_REGEX_LENGTH - 6}` });
      return;
    }
    try {
      anchoredRegex(matcher.value);
    } catch (error) {
      if (!(error instanceof UnsafeRegexError)) throw error;
      context.addIssue({ code: 'custom', path: ['value'], message: `regex rejected: ${error.message}` });
    }
  });

export const alertMatchersSchema = z.array(alertMatcherSchema).min(1).max(MAX_MATCHERS);

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const comment = z.string().trim().min(1).max(2000);
const createdBy = z.string().trim().min(1).max(200);

export const createSilenceBody = z.strictObject({
  matchers: alertMatchersSchema,
  startsAt: instant.optional().describe('Default: now'),
  endsAt: instant.optional().describe('Give endsAt or durationMinutes'),
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(366 * 24 * 60)
    .optional(),
  comment,
  createdBy: createdBy.optional().describe("Default: the caller's email"),
});

export const updateSilenceBody = z.strictObject({
  matchers: alertMatchersSchema.optional(),
  startsAt: instant.optional(),
  endsAt: instant.optional(),
  comment: comment.optional(),
});

export const silenceIdParams = z.strictObject({ id: z.uuid() });

export const listSilencesQuery = z.strictObject({
  state: z.enum(['pending', 'active', 'expired']).optional(),
});

const matcherOut = z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() });

export const silenceSchema = z.object({
  id: z.uuid(),
  matchers: z.array(matcherOut),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
  createdByUserId: z.uuid().nullable(),
  state: z.enum(['pending', 'active', 'expired']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const silencesListSchema = z.object({ silences: z.array(silenceSchema) });

export function toSilenceDto(row: SilenceRow, at: Date): z.infer<typeof silenceSchema> {
  return {
    id: row.id,
    matchers: row.matchers.map(copyMatcher),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    createdBy: row.createdBy,
    comment: row.comment,
    createdByUserId: row.createdByUserId,
    state: silenceState(row, at),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function copyMatcher({ name, value, isRegex, isEqual }: AlertMatcher): AlertMatcher {
  return { name, value, isRegex, isEqual };
}

// Alertmanager API v2 (api/v2/openapi.yaml): postableSilence in, gettableSilence out.

export const postableSilenceBody = z.strictObject({
  id: z.string().max(100).optional(),
  matchers: alertMatchersSchema,
  startsAt: instant,
  endsAt: instant,
  createdBy: createdBy,
  comment: comment,
});

export const gettableSilenceSchema = z.object({
  id: z.string(),
  status: z.object({ state: z.enum(['expired', 'active', 'pending']) }),
  updatedAt: z.string(),
  matchers: z.array(matcherOut),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});

export function toGettableSilence(row: SilenceRow, at: Date): z.infer<typeof gettableSilenceSchema> {
  return {
    id: row.id,
    status: { state: silenceState(row, at) },
    updatedAt: row.updatedAt.toISOString(),
    matchers: row.matchers.map(copyMatcher),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    createdBy: row.createdBy,
    comment: row.comment,
  };
}

export const amSilenceIdParams = z.strictObject({ silenceID: z.string().max(100) });

export const amListQuery = z.object({
  filter: z.union([z.string(), z.array(z.string())]).optional(),
});
