import type { ImportVendor } from '../../core/imports.js';
import type { IntegrationType } from '../../core/integrations.js';
import type { TurnUnitColumn } from '../../core/schedules.js';
import type { TeamRole } from '../../core/teams.js';

/**
 * What a vendor adapter reads out of the vendor's API, already in Klaxon's terms. The applier
 * turns it into Klaxon rows; whatever has no Klaxon equivalent is left in `unmapped` with why.
 * Every cross reference is a vendor id, resolved by the applier.
 */
export interface ImportBundle {
  vendor: ImportVendor;
  users: ImportUser[];
  teams: ImportTeam[];
  schedules: ImportSchedule[];
  policies: ImportPolicy[];
  services: ImportService[];
  maintenance: ImportMaintenance[];
  unmapped: Unmapped[];
}

export interface Unmapped {
  kind: string;
  externalId: string;
  name: string;
  reason: string;
}

export interface ImportUser {
  externalId: string;
  email: string;
  name: string | null;
}

export interface ImportTeam {
  externalId: string;
  name: string;
  description: string | null;
  members: Array<{ userId: string; role: TeamRole }>;
}

export interface Restriction {
  days?: number[];
  start: string;
  end: string;
}

export interface ImportLayer {
  externalId: string;
  name: string;
  timeZone: string | null;
  startsAt: Date;
  endsAt: Date | null;
  turnUnit: TurnUnitColumn;
  turnLength: number;
  restrictions: Restriction[];
  /** Vendor user ids, in rotation order. */
  participantIds: string[];
}

export interface ImportSchedule {
  externalId: string;
  name: string;
  description: string | null;
  timeZone: string;
  /** Null: the vendor gives it no team; it goes to the import's own team. */
  teamId: string | null;
  /** Lowest priority first, as Klaxon numbers layers. */
  layers: ImportLayer[];
  overrides: Array<{ externalId: string; userId: string; startsAt: Date; endsAt: Date }>;
}

export interface ImportTarget {
  type: 'user' | 'schedule' | 'team';
  id: string;
}

export interface ImportPolicy {
  externalId: string;
  name: string;
  description: string | null;
  teamId: string | null;
  repeatCount: number;
  levels: Array<{ delayMinutes: number; targets: ImportTarget[] }>;
}

/** A vendor service or integration: alerts come in through it, and it belongs to a team. */
export interface ImportService {
  externalId: string;
  name: string;
  type: IntegrationType;
  teamId: string | null;
  /** The vendor policy that pages for it; Klaxon pages by the team's default policy. */
  policyId: string | null;
}

export interface ImportMaintenance {
  externalId: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
  serviceIds: string[];
}

export function emptyBundle(vendor: ImportVendor): ImportBundle {
  return { vendor, users: [], teams: [], schedules: [], policies: [], services: [], maintenance: [], unmapped: [] };
}

/** The turn unit and length of a turn given in seconds, or null when Klaxon's units cannot express it. */
export function turnFromSeconds(seconds: number): { turnUnit: TurnUnitColumn; turnLength: number } | null {
  if (!Number.isInteger(seconds) || seconds <= 0) return null;
  if (seconds % 604_800 === 0) return { turnUnit: 'weeks', turnLength: seconds / 604_800 };
  if (seconds % 86_400 === 0) return { turnUnit: 'days', turnLength: seconds / 86_400 };
  if (seconds % 3_600 === 0) return { turnUnit: 'hours', turnLength: seconds / 3_600 };
  return null;
}
