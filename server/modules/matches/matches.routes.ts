import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AvailabilityGrid,
  AvailabilityInput,
  Lineup,
  LineupInput,
  Match,
  MatchCancel,
  MatchCreate,
  MatchPatch,
  MatchEvent,
  MatchPostpone,
  MyMatch,
  Proposal,
  ProposalInput,
  PublishResult,
  ScheduleDraft,
  SchedulePublish,
  ScheduleSettings,
} from '../../../domain/schemas/match';
import { Problem } from '../../../domain/schemas/problem';
import { ScheduleProblem } from '../../../domain/schemas/schedule';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { parseIfMatch } from '../../plugins/preconditions';
import { problemResponses as errors } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import * as availability from './availability.service';
import * as matches from './matches.service';
import * as proposals from './proposals.service';

const DivisionParams = z.object({ divisionId: z.uuid() });
const MatchParams = z.object({ matchId: z.uuid() });
const reads = { 400: Problem, 401: Problem, 404: Problem };

export const matchesRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.post(
    '/api/divisions/:divisionId/schedule/draft',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Generate a draft season schedule to review (nothing is saved)',
        description:
          'Round robin by the circle method, balanced home and away, byes, match days and slots, ' +
          'court capacity (courts taken by the league’s other divisions included), blackouts and ' +
          'unavailable dates. What cannot be met is listed in ' +
          '`problems`. Publish with the returned `draftHash`.',
        params: DivisionParams,
        body: ScheduleSettings,
        response: { 200: ScheduleDraft, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) =>
        matches.draftSchedule(tx, request.params.divisionId, request.body),
      );
    },
  );

  app.post(
    '/api/divisions/:divisionId/schedule/publish',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Publish the reviewed draft: unplayed matches are replaced, all or nothing',
        params: DivisionParams,
        body: SchedulePublish,
        response: {
          200: PublishResult,
          ...errors,
          // `urn:rally:problem:schedule-incomplete` carries the draft's problems.
          409: Problem.extend({ problems: z.array(ScheduleProblem).optional() }),
        },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx, user) =>
        matches.publishSchedule(tx, user, request.params.divisionId, request.body),
      ),
  );

  app.get(
    '/api/divisions/:divisionId/matches',
    {
      schema: {
        tags: ['scheduling'],
        summary: "A division's schedule by date (public leagues: signed out too)",
        params: DivisionParams,
        response: { 200: z.array(Match), ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) =>
        matches.divisionMatches(tx, request.params.divisionId),
      ),
  );

  app.get(
    '/api/teams/:teamId/matches',
    {
      schema: {
        tags: ['scheduling'],
        summary: "A team's schedule by date (public leagues: signed out too)",
        params: z.object({ teamId: z.uuid() }),
        response: { 200: z.array(Match), ...reads },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) => matches.teamMatches(tx, request.params.teamId)),
  );

  app.get(
    '/api/me/matches',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'My schedule across all my teams and leagues, with my availability answers',
        querystring: z.object({ when: z.enum(['upcoming', 'past', 'all']).default('upcoming') }),
        response: { 200: z.array(MyMatch), ...reads },
      },
      // The app's hot read: the session is checked in the schedule's own statement.
      config: { sessionInQuery: true },
    },
    async (request, reply) =>
      app.sessions.inQuery(request, reply, (sessionId) =>
        matches.mySessionSchedule(db, sessionId, request.query.when),
      ),
  );

  app.post(
    '/api/divisions/:divisionId/matches',
    {
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
      const ifMatch = parseIfMatch(request.headers['if-match']);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        matches.updateMatch(tx, user, request.params.matchId, request.body, ifMatch),
      );
    },
  );

  app.post(
    '/api/matches/:matchId/postpone',
    {
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

  const Side = z.object({ teamId: z.uuid().optional() });

  app.put(
    '/api/matches/:matchId/availability',
    {
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
