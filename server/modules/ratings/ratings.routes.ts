import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Problem } from '#domain/schemas/problem';
import { Leaderboard, LeaderboardQuery, SportKey } from '#domain/schemas/ratings';
import type { Database } from '../../db/database';
import * as ratings from './ratings.service';

const reads = { 400: Problem, 404: Problem };

/** Leaderboards: players ranked by rating. */
export const ratingsRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/leaderboards',
    {
      config: { revalidate: true },
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
      db.readShared(await db.viewer(request.user?.id ?? null, { self: true }), request.url, (tx) =>
        ratings.leaderboard(tx, request.query),
      ),
  );
};
