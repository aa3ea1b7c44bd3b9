import { z } from 'zod';
import { TEAM_ROLES } from '../../core/teams.js';
import { displayName } from '../../lib/display-name.js';
import type { TeamMemberView, TeamView } from './teams.repository.js';

const name = displayName(100);
const description = z.string().max(500).nullable();

export const createTeamBody = z.strictObject({ name, description: description.optional() });
export const updateTeamBody = z.strictObject({ name: name.optional(), description: description.optional() });
export const teamIdParams = z.object({ id: z.uuid() });
export const teamMemberParams = z.object({ id: z.uuid(), userId: z.uuid() });
export const addMemberBody = z.strictObject({ userId: z.uuid(), role: z.enum(TEAM_ROLES).default('member') });
export const updateMemberBody = z.strictObject({ role: z.enum(TEAM_ROLES) });

export const teamSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  memberCount: z.number().int(),
  role: z.enum(TEAM_ROLES).nullable().describe("The caller's role in this team; null if not a member"),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const teamMemberSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(TEAM_ROLES),
  createdAt: z.string(),
});

export const memberCandidateSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() });

export function toTeamDto(team: TeamView): z.infer<typeof teamSchema> {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    memberCount: team.memberCount,
    role: team.role,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}

export function toTeamMemberDto(member: TeamMemberView): z.infer<typeof teamMemberSchema> {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    createdAt: member.createdAt.toISOString(),
  };
}
