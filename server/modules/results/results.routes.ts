import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '#domain/schemas/problem';
import {
  MatchResult,
  ResultCorrectInput,
  ResultDisputeInput,
  ResultEntryInput,
  ResultSettleInput,
} from '#domain/schemas/results';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { parseIfMatch } from '../../plugins/preconditions';
import { problemResponses as errors } from '../../plugins/responses';
import * as results from './results.service';

const MatchParams = z.object({ matchId: z.uuid() });
const IfMatch = z.object({ 'if-match': z.string().optional() });
const reads = { 400: Problem, 401: Problem, 404: Problem };

export const resultsRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/matches/:matchId/result',
    {
      schema: {
        tags: ['results'],
        summary: "A match's result, what I may do with it, and its audit trail",
        params: MatchParams,
        response: { 200: MatchResult, ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) =>
        results.viewResult(tx, request.user ?? null, request.params.matchId),
      ),
  );

  app.put(
    '/api/matches/:matchId/result',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['results'],
        summary: "Enter a team match's result, every line (captains)",
        description:
          "Each line: who played and the score, checked against the league's format. The other " +
          "team's captain then confirms or disputes it; unanswered, it is confirmed after the " +
          "league's deadline. The entering team may re-enter it until then (If-Match).",
        params: MatchParams,
        headers: IfMatch,
        body: ResultEntryInput,
        response: { 200: MatchResult, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        results.enterResult(tx, user, request.params.matchId, request.body, ifMatch),
      );
    },
  );

  app.post(
    '/api/matches/:matchId/result/confirm',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['results'],
        summary: "Confirm the other team's result (captains); it becomes final and rates players",
        params: MatchParams,
        headers: IfMatch,
        response: { 200: MatchResult, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        results.confirmResult(tx, user, request.params.matchId, ifMatch),
      );
    },
  );

  app.post(
    '/api/matches/:matchId/result/dispute',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['results'],
        summary: "Dispute the other team's result with your version and why (captains)",
        params: MatchParams,
        headers: IfMatch,
        body: ResultDisputeInput,
        response: { 200: MatchResult, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        results.disputeResult(tx, user, request.params.matchId, request.body, ifMatch),
      );
    },
  );

  app.post(
    '/api/matches/:matchId/result/settle',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['results'],
        summary: 'Decide a disputed or missing result (organizers); it becomes final',
        params: MatchParams,
        headers: IfMatch,
        body: ResultSettleInput,
        response: { 200: MatchResult, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        results.settleResult(tx, user, request.params.matchId, request.body, ifMatch),
      );
    },
  );

  app.post(
    '/api/matches/:matchId/result/correct',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['results'],
        summary: 'Correct a final result with a reason (organizers); re-rates from this match on',
        params: MatchParams,
        headers: IfMatch,
        body: ResultCorrectInput,
        response: { 200: MatchResult, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        results.correctResult(tx, user, request.params.matchId, request.body, ifMatch),
      );
    },
  );
};
