import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CaptainTransfer,
  MemberPatch,
  MyTeam,
  Team,
  TeamInput,
  TeamPatch,
  TeamSummary,
} from '#domain/schemas/teams';
import { Problem } from '#domain/schemas/problem';
import type { Database } from '../../db/database';
import { idempotentWrite, idempotentWriteInOne } from '../../plugins/idempotency';
import { parseIfMatch } from '../../plugins/preconditions';
import { problemResponses } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import * as teams from './teams.service';

const errors = problemResponses;
const TeamParams = z.object({ teamId: z.uuid() });
const MemberParams = TeamParams.extend({ userId: z.uuid() });

export const teamsRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/me/teams',
    {
      schema: {
        tags: ['teams'],
        summary: 'The teams you are on, newest season first',
        response: { 200: z.array(MyTeam), 401: Problem },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.readAs(user.id, request.url, (tx) => teams.myTeams(tx, user.id));
    },
  );

  app.get(
    '/api/divisions/:divisionId/teams',
    {
      config: { revalidate: true },
      schema: {
        tags: ['teams'],
        summary: "A division's teams (public leagues: signed out too)",
        params: z.object({ divisionId: z.uuid() }),
        response: { 200: z.array(TeamSummary), 400: Problem, 404: Problem },
      },
    },
    async (request) =>
      db.readShared(await db.viewer(request.user?.id ?? null), request.url, (tx) =>
        teams.divisionTeams(tx, request.params.divisionId),
      ),
  );

  app.post(
    '/api/divisions/:divisionId/teams',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['teams'],
        summary: 'Create a team in a division; you become its captain',
        params: z.object({ divisionId: z.uuid() }),
        body: TeamInput,
        response: { 201: Team, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWriteInOne(db, request, reply, 201, (user, claim) =>
        teams.createTeam(db.system, user, request.params.divisionId, request.body, claim),
      ),
  );

  app.get(
    '/api/teams/:teamId',
    {
      schema: {
        tags: ['teams'],
        summary: 'A team with its roster (public leagues: signed out too)',
        params: TeamParams,
        response: { 200: Team, 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const team = await db.readAs(request.user?.id ?? null, request.url, (tx) =>
        teams.getTeam(tx, request.params.teamId),
      );
      reply.header('etag', `"${team.version}"`);
      return team;
    },
  );

  app.patch(
    '/api/teams/:teamId',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['teams'],
        summary: 'Change name, home venue or colours (captains and organizers)',
        params: TeamParams,
        headers: z.object({ 'if-match': z.string().optional() }),
        body: TeamPatch,
        response: { 200: Team, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx) =>
        teams.updateTeam(tx, request.params.teamId, request.body, ifMatch),
      );
    },
  );

  app.delete(
    '/api/teams/:teamId',
    {
      schema: {
        tags: ['teams'],
        summary: 'Delete a team (captains and organizers); one that has played is archived',
        description:
          'A team with played matches is archived, not destroyed: its results stay, and the ' +
          'answer is 200 with the archived team. Otherwise it is deleted: 204.',
        params: TeamParams,
        response: { 200: Team, 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const archived = await db.withUser(user.id, async (tx) =>
        (await teams.deleteTeam(tx, request.params.teamId)) === 'archived'
          ? teams.getTeam(tx, request.params.teamId)
          : null,
      );
      return archived ? archived : reply.code(204).send(null);
    },
  );

  app.patch(
    '/api/teams/:teamId/members/:userId',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['teams'],
        summary: "Set a member's roster status or make them co-captain",
        params: MemberParams,
        body: MemberPatch,
        response: { 200: Team, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx) =>
        teams.updateMember(tx, request.params.teamId, request.params.userId, request.body),
      ),
  );

  app.delete(
    '/api/teams/:teamId/members/:userId',
    {
      schema: {
        tags: ['teams'],
        summary: 'Remove a member (captains), or leave the team (your own id)',
        params: MemberParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) =>
        teams.removeMember(tx, user, request.params.teamId, request.params.userId),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/teams/:teamId/captain',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['teams'],
        summary: 'Hand the captaincy to another member (the old captain becomes co-captain)',
        params: TeamParams,
        body: CaptainTransfer,
        response: { 200: Team, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx, user) =>
        teams.transferCaptaincy(tx, user, request.params.teamId, request.body.userId),
      ),
  );
};
