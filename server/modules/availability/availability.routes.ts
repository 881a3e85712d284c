import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AvailabilityGrid,
  AvailabilityInput,
  Lineup,
  LineupInput,
} from '#domain/schemas/availability';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { problemResponses as errors } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import * as availability from './availability.service';

const MatchParams = z.object({ matchId: z.uuid() });

/** Players' availability answers and captains' lineups for a match. */
export const availabilityRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  const Side = z.object({ teamId: z.uuid().optional() });

  app.put(
    '/api/matches/:matchId/availability',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: 'Answer whether I can play this match (for my team)',
        params: MatchParams,
        body: AvailabilityInput,
        response: { 200: AvailabilityGrid, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx, user) =>
        availability.answerAvailability(tx, user, request.params.matchId, request.body),
      ),
  );

  app.get(
    '/api/matches/:matchId/availability',
    {
      schema: {
        tags: ['scheduling'],
        summary: "My team's availability grid for a match (organizers: pass teamId)",
        params: MatchParams,
        querystring: Side,
        response: { 200: AvailabilityGrid, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) =>
        availability.availabilityGrid(tx, user, request.params.matchId, request.query.teamId),
      );
    },
  );

  app.put(
    '/api/matches/:matchId/lineup',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: "Set my team's lineup for a match (captains)",
        description:
          "Lines from the league's format; singles take one player and doubles two, all from " +
          'the roster, nobody on two lines. Replaces the previous lineup.',
        params: MatchParams,
        querystring: Side,
        body: LineupInput,
        response: { 200: Lineup, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx, user) =>
        availability.setLineup(
          tx,
          user,
          request.params.matchId,
          request.query.teamId,
          request.body,
        ),
      ),
  );

  app.get(
    '/api/matches/:matchId/lineup',
    {
      schema: {
        tags: ['scheduling'],
        summary: "My team's lineup for a match (organizers: pass teamId)",
        params: MatchParams,
        querystring: Side,
        response: { 200: Lineup, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) =>
        availability.getLineup(tx, user, request.params.matchId, request.query.teamId),
      );
    },
  );
};
