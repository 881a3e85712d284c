import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '#domain/schemas/problem';
import { Standings } from '#domain/schemas/standings';
import type { Database } from '../../db/database';
import * as standings from './standings.service';

export const standingsRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/divisions/:divisionId/standings',
    {
      config: { revalidate: true },
      schema: {
        tags: ['results'],
        summary: "A division's standings (public leagues: signed out too)",
        description:
          "Every team of the division, ranked by the league's standings rules over final " +
          'team-match results only (pending and disputed results do not count; cancelled matches ' +
          'neither). A team that withdrew is listed while it has a final result. `decidedBy` says ' +
          'what put a team above the next row; teams level after every tiebreaker share a rank.',
        params: z.object({ divisionId: z.uuid() }),
        response: { 200: Standings, 400: Problem, 404: Problem },
      },
    },
    async (request) =>
      db.readShared(await db.viewer(request.user?.id ?? null), request.url, (tx) =>
        standings.divisionStandings(tx, request.params.divisionId),
      ),
  );
};
