import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '../../../domain/schemas/problem';
import { SPORTS } from '../../../domain/schemas/profile';
import {
  Leaderboard,
  LeaderboardQuery,
  PlayerPage,
  TeamStats,
  ratingSportKey,
} from '../../../domain/schemas/result';
import type { Database } from '../../db/database';
import * as players from './players.service';

/**
 * A rating's sport as `ratingSportKey` makes it: a known sport, or `custom:<name>` (its name
 * trimmed and in lower case, as the key is kept, so `custom:Beach Tennis` finds it too). Anything
 * else is a typing mistake, answered with 400 rather than an empty board.
 */
const SportKey = z
  .string()
  .max(60)
  .transform((s) => (s.startsWith('custom:') ? ratingSportKey('custom', s.slice(7)) : s))
  .refine(
    (s) => (SPORTS as readonly string[]).includes(s) || /^custom:\S/.test(s),
    `Not a sport: use ${SPORTS.join(', ')} or custom:<name>`,
  );

const reads = { 400: Problem, 404: Problem };

export const playersRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/leaderboards',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Players ranked by rating in a sport (public leagues: signed out too)',
        description:
          '`leagueId` or `divisionId` narrows the board to players on teams there and defaults ' +
          "the sport to that league's; without either, `sport` is required. `rank` is the place " +
          'on the board after `minMatches` (equal ratings share it); `q` searches names on it.',
        querystring: LeaderboardQuery.extend({ sport: SportKey.optional() }),
        response: { 200: Leaderboard, ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) => players.leaderboard(tx, request.query)),
  );

  app.get(
    '/api/players/:playerId',
    {
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
      db.withUser(request.user?.id ?? null, (tx) =>
        players.playerPage(tx, request.params.playerId, request.query.sport),
      ),
  );

  app.get(
    '/api/teams/:teamId/stats',
    {
      schema: {
        tags: ['ratings'],
        summary:
          "A team's record, lines, players and last results (public leagues: signed out too)",
        params: z.object({ teamId: z.uuid() }),
        response: { 200: TeamStats, ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) => players.teamStats(tx, request.params.teamId)),
  );
};
