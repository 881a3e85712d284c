import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Match } from '#domain/schemas/matches';
import {
  MyMatch,
  PublishResult,
  ScheduleDraft,
  SchedulePublish,
  ScheduleSettings,
  ScheduleProblem,
} from '#domain/schemas/schedule';
import { Problem } from '#domain/schemas/problem';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { problemResponses as errors } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import * as schedule from './schedule.service';

const DivisionParams = z.object({ divisionId: z.uuid() });
const reads = { 400: Problem, 401: Problem, 404: Problem };

/** Schedules: drafting and publishing a division's season, and the schedule views. */
export const scheduleRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
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
        schedule.draftSchedule(tx, request.params.divisionId, request.body),
      );
    },
  );

  app.post(
    '/api/divisions/:divisionId/schedule/publish',
    {
      config: { idempotencyKey: true },
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
        schedule.publishSchedule(tx, user, request.params.divisionId, request.body),
      ),
  );

  app.get(
    '/api/divisions/:divisionId/matches',
    {
      config: { revalidate: true },
      schema: {
        tags: ['scheduling'],
        summary: "A division's schedule by date (public leagues: signed out too)",
        params: DivisionParams,
        response: { 200: z.array(Match), ...reads },
      },
    },
    async (request) =>
      db.readShared(await db.viewer(request.user?.id ?? null), request.url, (tx) =>
        schedule.divisionMatches(tx, request.params.divisionId),
      ),
  );

  app.get(
    '/api/teams/:teamId/matches',
    {
      config: { revalidate: true },
      schema: {
        tags: ['scheduling'],
        summary: "A team's schedule by date (public leagues: signed out too)",
        params: z.object({ teamId: z.uuid() }),
        response: { 200: z.array(Match), ...reads },
      },
    },
    async (request) =>
      db.readShared(await db.viewer(request.user?.id ?? null), request.url, (tx) =>
        schedule.teamMatches(tx, request.params.teamId),
      ),
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
        schedule.mySessionSchedule(db, sessionId, request.query.when),
      ),
  );
};
