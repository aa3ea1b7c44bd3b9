export const TEAM_ROLES = ['member', 'manager'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const TEAM_MEMBERSHIP_SOURCES = ['manual', 'sso'] as const;
export type TeamMembershipSource = (typeof TEAM_MEMBERSHIP_SOURCES)[number];
