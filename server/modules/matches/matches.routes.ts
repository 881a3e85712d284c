import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Match,
  MatchCancel,
  MatchCreate,
  MatchPatch,
  MatchEvent,
  MatchPostpone,
} from '#domain/schemas/matches';
import { Problem } from '#domain/schemas/problem';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { parseIfMatch } from '../../plugins/preconditions';
import { problemResponses as errors } from '../../plugins/responses';
import * as matches from './matches.service';

const DivisionParams = z.object({ divisionId: z.uuid() });
const MatchParams = z.object({ matchId: z.uuid() });
const reads = { 400: Problem, 401: Problem, 404: Problem };

/** Single matches: adding one, correcting, postponing and cancelling it, and its history. */
export const matchesRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.post(
    '/api/divisions/:divisionId/matches',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: 'Add one match between two teams of the division (organizers)',
        params: DivisionParams,
        body: MatchCreate,
        response: { 201: Match, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx, user) =>
        matches.createMatch(tx, user, request.params.divisionId, request.body),
      ),
  );

  app.patch(
    '/api/matches/:matchId',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: "Correct a match's time, duration, venue or round (organizers; If-Match)",
        params: MatchParams,
        headers: z.object({ 'if-match': z.string().optional() }),
        body: MatchPatch,
        response: { 200: Match, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        matches.updateMatch(tx, user, request.params.matchId, request.body, ifMatch),
      );
    },
  );

  app.post(
    '/api/matches/:matchId/postpone',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: 'Move a match to a new date and time (organizers)',
        params: MatchParams,
        body: MatchPostpone,
        response: { 200: Match, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx, user) =>
        matches.postponeMatch(tx, user, request.params.matchId, request.body),
      ),
  );

  app.post(
    '/api/matches/:matchId/cancel',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: 'Cancel a match with a reason (organizers)',
        params: MatchParams,
        body: MatchCancel,
        response: { 200: Match, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx, user) =>
        matches.cancelMatch(tx, user, request.params.matchId, request.body),
      ),
  );

  app.get(
    '/api/matches/:matchId',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'One match: teams, date, venue and status',
        params: MatchParams,
        response: { 200: Match, ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) => matches.getMatch(tx, request.params.matchId)),
  );

  app.get(
    '/api/matches/:matchId/history',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Who changed a match, when, and what',
        params: MatchParams,
        response: { 200: z.array(MatchEvent), ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) =>
        matches.matchHistory(tx, request.params.matchId),
      ),
  );
};
