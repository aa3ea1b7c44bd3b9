/** Shapes of the teams API, and the two lists most pages load (docs/teams.md). */
import { api } from './api';
import { allOf, type Item, type ResponseOf } from './api-types';

/** A team as listed, with the signed-in user's role in it (null when not a member). */
export type Team = Item<ResponseOf<'/api/teams'>['teams']>;
/** A member as the team page lists them. */
export type TeamMember = Item<ResponseOf<'/api/teams/{id}/members'>['members']>;
export type TeamRole = TeamMember['role'];
export const TEAM_ROLES = allOf<TeamRole>()(['member', 'manager']);

/** Someone a team's managers may add: an enabled account not in the team yet. */
export type MemberCandidate = Item<ResponseOf<'/api/teams/{id}/member-candidates'>['candidates']>;

export const loadTeams = () => api<{ teams: Team[] }>('GET', '/api/teams').then((body) => body.teams);
export const loadMembers = (teamId: string) =>
  api<{ members: TeamMember[] }>('GET', `/api/teams/${teamId}/members`).then((body) => body.members);
