import { TEAM_ROLES, type TeamRole } from '../../core/teams.js';

/** One entry of KLAXON_OIDC_TEAM_MAPPING: members of `group` join team `team` with `role`. */
export interface TeamMappingEntry {
  group: string;
  team: string;
  role: TeamRole;
}

/**
 * Parses KLAXON_OIDC_TEAM_MAPPING: comma-separated `group=team` or `group=team:role` entries,
 * e.g. `sre=SRE:manager,sre-oncall=SRE,dba=Databases`. The group is everything before the first
 * `=` (so Keycloak paths such as `/eng/sre` work); a trailing `:member` or `:manager` is the
 * role, anything else after the `=` is the team name. Throws with a message naming the entry.
 */
export function parseTeamMapping(value: string): TeamMappingEntry[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const equals = entry.indexOf('=');
      if (equals <= 0) throw new Error(`"${entry}" is not group=team or group=team:role`);
      const group = entry.slice(0, equals).trim();
      let team = entry.slice(equals + 1).trim();
      let role: TeamRole = 'member';
      const colon = team.lastIndexOf(':');
      const suffix = colon === -1 ? '' : team.slice(colon + 1).trim();
      if ((TEAM_ROLES as readonly string[]).includes(suffix)) {
        role = suffix as TeamRole;
        team = team.slice(0, colon).trim();
      }
      if (team === '') throw new Error(`"${entry}" names no team`);
      return { group, team, role };
    });
}

/** Comma-separated group names (KLAXON_OIDC_ADMIN_GROUPS). */
export function parseGroupList(value: string): string[] {
  return value
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group !== '');
}

const ROLE_RANK: Record<TeamRole, number> = { member: 0, manager: 1 };

/**
 * The teams (by lower-cased name) and roles a person's groups grant. When several groups
 * grant the same team, the highest role wins.
 */
export function teamsGrantedBy(groups: readonly string[], mapping: readonly TeamMappingEntry[]): Map<string, TeamRole> {
  const held = new Set(groups);
  const granted = new Map<string, TeamRole>();
  for (const entry of mapping) {
    if (!held.has(entry.group)) continue;
    const key = entry.team.toLowerCase();
    const current = granted.get(key);
    if (current === undefined || ROLE_RANK[entry.role] > ROLE_RANK[current]) granted.set(key, entry.role);
  }
  return granted;
}

/**
 * The groups in an identity's claims. `claim` is a claim name, or a dotted path into nested
 * claims (Keycloak's `realm_access.roles`); a claim whose own name contains dots is found first.
 * A single string counts as one group; anything that is not a string is ignored.
 */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes('.')) {
    value = claim.split('.').reduce<unknown>((node, key) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      return Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
    }, claims);
  }
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((group): group is string => typeof group === 'string');
}
