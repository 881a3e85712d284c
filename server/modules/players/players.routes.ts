import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '#domain/schemas/problem';
import { PlayerPage, TeamStats } from '#domain/schemas/players';
import { SportKey } from '#domain/schemas/ratings';
import type { Database } from '../../db/database';
import * as players from './players.service';

const reads = { 400: Problem, 404: Problem };

/** Players' pages (record, lines, ratings) and teams' season statistics. */
export const playersRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/players/:playerId',
    {
      config: { revalidate: true },
      schema: {
        tags: ['ratings'],
        summary: "A player's ratings, record and rating history in one sport",
        description:
          'Without `sport`: the sport of their latest rated line. Lines and history come from ' +
          'leagues you can see; a player you cannot see is 404. Sets and games are as played ' +
          '(a walkover counts none), unlike the credited totals of the standings.',
        params: z.object({ playerId: z.uuid() }),
        querystring: z.object({ sport: SportKey.optional() }),
        response: { 200: PlayerPage, ...reads },
      },
    },
    async (request) =>
      db.readShared(await db.viewer(request.user?.id ?? null, { self: true }), request.url, (tx) =>
        players.playerPage(tx, request.params.playerId, request.query.sport),
      ),
  );

  app.get(
    '/api/teams/:teamId/stats',
    {
      config: { revalidate: true },
      schema: {
        tags: ['ratings'],
        summary:
          "A team's record, lines, players and last results (public leagues: signed out too)",
        params: z.object({ teamId: z.uuid() }),
        response: { 200: TeamStats, ...reads },
      },
    },
    async (request) =>
      db.readShared(await db.viewer(request.user?.id ?? null, { self: true }), request.url, (tx) =>
        players.teamStats(tx, request.params.teamId),
      ),
  );
};
