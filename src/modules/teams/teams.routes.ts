import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import {
  addMemberBody,
  createTeamBody,
  memberCandidateSchema,
  teamIdParams,
  teamMemberParams,
  teamMemberSchema,
  teamSchema,
  toTeamDto,
  toTeamMemberDto,
  updateMemberBody,
  updateTeamBody,
} from './teams.schema.js';
import type { TeamsService } from './teams.service.js';

/**
 * Platform admins create, rename and delete teams; a team's managers (and platform admins) add,
 * remove and change the roles of its members. Any user may read the teams they belong to (and
 * their members); other teams answer 404, as alerts of other teams do.
 */
export const teamsRoutes: FastifyPluginAsyncZod<{ teamsService: TeamsService }> = async (app, { teamsService }) => {
  const admin = { access: 'admin' as const };
  const user = { access: 'user' as const };
  const tags = ['teams'];

  app.post(
    '/api/teams',
    {
      config: admin,
      schema: { tags, summary: 'Create a team', body: createTeamBody, response: { 201: teamSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(toTeamDto(await teamsService.create(request.body, principalOf(request)))),
  );

  app.get(
    '/api/teams',
    {
      config: user,
      schema: {
        tags,
        summary: 'List teams (platform admins: all; others: their own)',
        response: { 200: z.object({ teams: z.array(teamSchema) }) },
      },
    },
    async (request) => ({ teams: (await teamsService.list(principalOf(request))).map(toTeamDto) }),
  );

  app.get(
    '/api/teams/:id',
    {
      config: user,
      schema: { tags, summary: 'Get one team', params: teamIdParams, response: { 200: teamSchema } },
    },
    async (request) => toTeamDto(await teamsService.get(principalOf(request), request.params.id)),
  );

  app.patch(
    '/api/teams/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Rename a team or change its description',
        params: teamIdParams,
        body: updateTeamBody,
        response: { 200: teamSchema },
      },
    },
    async (request) => toTeamDto(await teamsService.update(request.params.id, request.body, principalOf(request))),
  );

  app.delete(
    '/api/teams/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Delete a team (409 team-in-use while routing rules or integrations point at it)',
        params: teamIdParams,
      },
    },
    async (request, reply) => {
      await teamsService.delete(request.params.id, principalOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/teams/:id/members',
    {
      config: user,
      schema: {
        tags,
        summary: "List a team's members",
        params: teamIdParams,
        response: { 200: z.object({ members: z.array(teamMemberSchema) }) },
      },
    },
    async (request) => ({
      members: (await teamsService.listMembers(principalOf(request), request.params.id)).map(toTeamMemberDto),
    }),
  );

  app.get(
    '/api/teams/:id/member-candidates',
    {
      config: user,
      schema: {
        tags,
        summary: "People a team's managers may add: enabled accounts not in the team yet",
        params: teamIdParams,
        response: { 200: z.object({ candidates: z.array(memberCandidateSchema) }) },
      },
    },
    async (request) => ({ candidates: await teamsService.listCandidates(principalOf(request), request.params.id) }),
  );

  app.post(
    '/api/teams/:id/members',
    {
      config: user,
      schema: {
        tags,
        summary: "Add a user to a team (the team's managers and platform admins)",
        params: teamIdParams,
        body: addMemberBody,
        response: { 201: teamMemberSchema },
      },
    },
    async (request, reply) => {
      const member = await teamsService.addMember(request.params.id, request.body, principalOf(request));
      return reply.code(201).send(toTeamMemberDto(member));
    },
  );

  app.patch(
    '/api/teams/:id/members/:userId',
    {
      config: user,
      schema: {
        tags,
        summary: "Change a member's role (409 last-team-manager when a manager would leave none)",
        params: teamMemberParams,
        body: updateMemberBody,
        response: { 200: teamMemberSchema },
      },
    },
    async (request) => {
      const { id, userId } = request.params;
      return toTeamMemberDto(await teamsService.updateMember(id, userId, request.body.role, principalOf(request)));
    },
  );

  app.delete(
    '/api/teams/:id/members/:userId',
    {
      config: user,
      schema: {
        tags,
        summary: 'Remove a user from a team (409 last-team-manager when a manager would leave none)',
        params: teamMemberParams,
      },
    },
    async (request, reply) => {
      await teamsService.removeMember(request.params.id, request.params.userId, principalOf(request));
      return reply.code(204).send();
    },
  );
};
