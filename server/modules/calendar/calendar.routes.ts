import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CalendarFeed } from '#domain/schemas/calendar';
import { Problem } from '#domain/schemas/problem';
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { problemResponses as errors } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import { calendarService } from './calendar.service';

export const calendarRoutes: FastifyPluginAsyncZod<{ db: Database; config: Config }> = async (
  app,
  { db, config },
) => {
  const calendar = calendarService({ secret: config.sessionSecret, publicUrl: config.publicUrl });

  app.post(
    '/api/me/calendar',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['calendar'],
        summary: 'A secret iCal feed of all my matches (the URL is shown once)',
        response: { 201: CalendarFeed, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx, user) => calendar.createForUser(tx, user.id)),
  );

  app.post(
    '/api/teams/:teamId/calendar',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['calendar'],
        summary: "A secret iCal feed of a team's matches (members; the URL is shown once)",
        params: z.object({ teamId: z.uuid() }),
        response: { 201: CalendarFeed, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx, user) =>
        calendar.createForTeam(tx, user.id, request.params.teamId),
      ),
  );

  app.get(
    '/api/me/calendar-feeds',
    {
      schema: {
        tags: ['calendar'],
        summary: 'My active calendar feeds (without their URLs), to turn any of them off',
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              teamId: z.uuid().nullable(),
              teamName: z.string().nullable(),
              createdAt: z.string(),
            }),
          ),
          401: Problem,
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) => calendar.list(tx));
    },
  );

  app.delete(
    '/api/calendar-feeds/:feedId',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Turn a calendar feed off (its URL stops working)',
        params: z.object({ feedId: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) => calendar.revoke(tx, request.params.feedId));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/calendar/:file',
    {
      schema: {
        tags: ['calendar'],
        summary: 'The iCal feed itself (text/calendar), for calendar apps',
        params: z.object({ file: z.string().regex(/^[\w-]{20,100}\.ics$/, 'Not a calendar feed') }),
        response: { 200: z.string(), 400: Problem, 404: Problem, 410: Problem },
      },
    },
    async (request, reply) => {
      const body = await calendar.render(db, request.params.file.slice(0, -'.ics'.length));
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(body);
    },
  );
};
