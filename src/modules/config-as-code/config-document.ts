import { z } from 'zod';
import {
  INTEGRATION_TYPES,
  SIGNATURE_ALGORITHMS,
  SIGNATURE_FORMATS,
  SIGNATURE_SCHEMES,
} from '../../core/integrations.js';
import { TURN_UNITS } from '../../core/schedules.js';
import { TEAM_ROLES } from '../../core/teams.js';
import { displayName } from '../../lib/display-name.js';
import { INTEGRATION_NAME_PATTERN } from '../integrations/integrations.schema.js';
import { matcherSchema } from '../routing/routing-rules.schema.js';

/**
 * The `klaxon.yaml` file: the configuration a team reviews in git. Objects refer to each
 * other by name (teams, schedules, integrations) and to people by email, never by id, so one
 * file applies to any Klaxon. Secrets never appear in it.
 */
const teamName = displayName(100);
const email = z
  .string()
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
  .describe('A user, by email address');
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00–23:59)');
const weekday = z.number().int().min(1).max(7);
const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant, e.g. 2026-01-05T09:00:00Z');

const member = z.strictObject({ email, role: z.enum(TEAM_ROLES).default('member') });

const team = z.strictObject({
  name: teamName,
  description: z.string().max(500).nullable().default(null),
  members: z.array(member).default([]).describe("The team's exact membership"),
});

const integration = z.strictObject({
  name: z.string().regex(INTEGRATION_NAME_PATTERN, 'lowercase letters, digits and dashes, 1–100'),
  type: z.enum(INTEGRATION_TYPES),
  team: teamName.nullable().default(null).describe('The team that takes alerts no routing rule matches'),
  signatureScheme: z.enum(SIGNATURE_SCHEMES).optional(),
  signatureHeader: z.string().min(1).max(100).optional(),
  signatureAlgorithm: z.enum(SIGNATURE_ALGORITHMS).optional(),
  signatureFormat: z.enum(SIGNATURE_FORMATS).optional(),
  signaturePrefix: z.string().max(50).optional(),
  deduplicationWindowMinutes: z.number().int().min(1).max(1440).optional(),
  rateLimitPerMinute: z.number().int().min(1).max(10_000_000).optional().describe("Absent: the server's default"),
  isActive: z.boolean().default(true),
});

const routingRule = z.strictObject({
  name: displayName(100),
  team: teamName,
  integration: z.string().nullable().default(null).describe('Scope the rule to one integration; null: all'),
  matchers: z.array(matcherSchema).max(20).default([]),
  continue: z.boolean().default(false),
  isActive: z.boolean().default(true),
});

const restriction = z.strictObject({
  days: z.array(weekday).min(1).max(7).optional(),
  start: timeOfDay,
  end: timeOfDay,
});

const layer = z.strictObject({
  name: displayName(100),
  timeZone: z.string().nullable().default(null).describe("null: the schedule's"),
  startsAt: instant,
  endsAt: instant.nullable().default(null),
  turnUnit: z.enum(TURN_UNITS),
  turnLength: z.number().int().min(1),
  handoffTime: timeOfDay.nullable().default(null),
  handoffWeekday: weekday.nullable().default(null),
  restrictions: z.array(restriction).max(20).default([]),
  participants: z.array(email).max(100).describe('In rotation order; members of the team'),
});

const schedule = z.strictObject({
  name: displayName(100),
  team: teamName,
  description: z.string().max(500).nullable().default(null),
  timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Berlin'),
  layers: z.array(layer).default([]).describe('Lowest first'),
});

const target = z.union([
  z.strictObject({ user: email }),
  z.strictObject({ schedule: displayName(100).describe("A schedule of the policy's team") }),
  z.strictObject({ team: teamName.describe("Everyone on the policy's team") }),
  z.strictObject({ teamChannel: teamName.describe("The policy's team's chat channel (Slack)") }),
]);

const escalationPolicy = z.strictObject({
  name: displayName(100),
  team: teamName,
  description: z.string().max(1000).nullable().default(null),
  repeatCount: z.number().int().min(0).max(10).default(0),
  isDefault: z.boolean().default(false),
  ackTimeoutMinutes: z.number().int().min(1).max(1440).nullable().default(null),
  levels: z
    .array(
      z.strictObject({
        delayMinutes: z.number().int().min(0).max(1440),
        targets: z.array(target).min(1).max(20),
      }),
    )
    .min(1)
    .max(20),
});

export const configDocumentSchema = z
  .strictObject({
    version: z.literal(1).describe('The format of this file'),
    teams: z.array(team).optional(),
    integrations: z.array(integration).optional(),
    routingRules: z.array(routingRule).optional().describe('In evaluation order'),
    schedules: z.array(schedule).optional(),
    escalationPolicies: z.array(escalationPolicy).optional(),
  })
  .describe('Klaxon configuration as code (klaxon.yaml)');

/** The file as written (defaults not yet applied): what editors validate. */
export type ConfigDocumentInput = z.input<typeof configDocumentSchema>;
export type ConfigDocument = z.output<typeof configDocumentSchema>;
export type TeamSpec = z.output<typeof team>;
export type IntegrationSpec = z.output<typeof integration>;
export type RoutingRuleSpec = z.output<typeof routingRule>;
export type ScheduleSpec = z.output<typeof schedule>;
export type LayerSpec = z.output<typeof layer>;
export type EscalationPolicySpec = z.output<typeof escalationPolicy>;
export type TargetSpec = z.output<typeof target>;

/** The kinds of object the file manages; `--prune` deletes only kinds the file names. */
export const CONFIG_KINDS = ['teams', 'integrations', 'routingRules', 'schedules', 'escalationPolicies'] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

/** The JSON Schema editors use (`# yaml-language-server: $schema=…/klaxon.schema.json`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configDocumentSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}
