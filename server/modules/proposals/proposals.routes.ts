import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Proposal, ProposalInput } from '#domain/schemas/proposals';
import { Problem } from '#domain/schemas/problem';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { problemResponses as errors } from '../../plugins/responses';
import * as proposals from './proposals.service';

const MatchParams = z.object({ matchId: z.uuid() });
const reads = { 400: Problem, 401: Problem, 404: Problem };

/** Captains' proposals to move a match to another date, and the answers to them. */
export const proposalsRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/matches/:matchId/proposals',
    {
      schema: {
        tags: ['scheduling'],
        summary: "Captains' proposals to move a match, newest first",
        params: MatchParams,
        response: { 200: z.array(Proposal), ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) =>
        proposals.listProposals(tx, request.params.matchId),
      ),
  );

  app.post(
    '/api/matches/:matchId/proposals',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary:
          'Propose a new date and time (a captain of either team); the other captain answers',
        params: MatchParams,
        body: ProposalInput,
        response: { 201: z.array(Proposal), ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx, user) =>
        proposals.propose(tx, user, request.params.matchId, request.body),
      ),
  );

  for (const [action, decision] of [
    ['accept', 'accepted'],
    ['decline', 'declined'],
    ['withdraw', 'withdrawn'],
  ] as const) {
    app.post(
      `/api/proposals/:proposalId/${action}`,
      {
        config: { idempotencyKey: true },
        schema: {
          tags: ['scheduling'],
          summary:
            action === 'withdraw'
              ? 'Withdraw your proposal'
              : `${action === 'accept' ? 'Accept (the match moves)' : 'Decline'}: the other team's captain`,
          params: z.object({ proposalId: z.uuid() }),
          response: { 200: z.array(Proposal), ...errors },
        },
      },
      async (request, reply) =>
        idempotentWrite(db, request, reply, 200, (tx) =>
          proposals.decide(tx, request.params.proposalId, decision),
        ),
    );
  }
};
