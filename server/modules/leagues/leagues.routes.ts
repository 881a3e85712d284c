import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Division,
  DivisionInput,
  League,
  LeagueInput,
  LeaguePatch,
  LeagueSummary,
  LeaguesQuery,
  MyOrganizerInvite,
  OrganizerInvite,
  OrganizerInviteInput,
  Season,
  SeasonInput,
  SeasonPatch,
} from '#domain/schemas/leagues';
import { Problem } from '#domain/schemas/problem';
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import type { Mailer } from '../../mail/mailer';
import { idempotentWrite } from '../../plugins/idempotency';
import { parseIfMatch } from '../../plugins/preconditions';
import { problemResponses } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import * as leagues from './leagues.service';

const errors = problemResponses;
const mailErrors = { ...problemResponses, 502: Problem };
const LeagueParams = z.object({ leagueId: z.uuid() });
const SeasonParams = z.object({ seasonId: z.uuid() });
const DivisionParams = z.object({ divisionId: z.uuid() });
const InviteParams = z.object({ inviteId: z.uuid() });
const IfMatch = z.object({ 'if-match': z.string().optional() });

/** `GET /api/leagues`'s query, `after` read back into the list key it was made from. */
const LeaguesListQuery = LeaguesQuery.extend({
  after: z
    .string()
    .max(1000)
    .transform((cursor, ctx) => {
      const key = leagues.decodeLeagueCursor(cursor);
      if (key) return key;
      ctx.addIssue({
        code: 'custom',
        message: 'Not a page position this server gave: follow the Link header as it is.',
      });
      return z.NEVER;
    })
    .optional()
    .describe("Where the page starts: the value from the previous answer's `Link` header."),
});

/** The address of the page after this one: the same query, with `after` set (a relative URL). */
function pageAfter(url: string, after: string): string {
  const next = new URL(url, 'http://rally.invalid');
  next.searchParams.set('after', after);
  return `${next.pathname}${next.search}`;
}

export const leaguesRoutes: FastifyPluginAsyncZod<{
  db: Database;
  config: Config;
  mailer: Mailer;
}> = async (app, { db, config, mailer }) => {
  const organizerInvites = leagues.organizerInvitesService({
    publicUrl: config.publicUrl,
    mailer,
  });

  app.get(
    '/api/leagues',
    {
      config: { revalidate: true },
      schema: {
        tags: ['leagues'],
        summary: 'Leagues you can see: public ones, and private ones you organize or play in',
        description:
          'Your own leagues first (those you organize, play in, are invited to or created), then ' +
          'the others, each part by name. Works signed out too: then it lists public leagues ' +
          'only. A page at a time: when there is more, the `Link` header gives the next ' +
          'page\'s address (`rel="next"`).',
        querystring: LeaguesListQuery,
        response: { 200: z.array(LeagueSummary), 400: Problem },
      },
    },
    async (request, reply) => {
      const page = await db.readAs(request.user?.id ?? null, request.url, (tx) =>
        leagues.listLeagues(tx, request.query),
      );
      if (page.next) {
        reply.header(
          'link',
          `<${pageAfter(request.url, leagues.encodeLeagueCursor(page.next))}>; rel="next"`,
        );
      }
      return page.leagues;
    },
  );

  app.post(
    '/api/leagues',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['leagues'],
        summary: 'Create a league (organizers only); you become its owner',
        body: LeagueInput,
        response: { 201: League, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx, user) =>
        leagues.createLeague(tx, user, request.body),
      ),
  );

  app.get(
    '/api/leagues/:leagueId',
    {
      schema: {
        tags: ['leagues'],
        summary:
          'A league with its organizers, seasons and divisions (public leagues: signed out too)',
        params: LeagueParams,
        response: { 200: League, 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const league = await db.readAs(request.user?.id ?? null, request.url, (tx) =>
        leagues.getLeague(tx, request.params.leagueId),
      );
      reply.header('etag', `"${league.version}"`);
      return league;
    },
  );

  app.patch(
    '/api/leagues/:leagueId',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['leagues'],
        summary: 'Change a league (its organizers); If-Match guards against lost updates',
        params: LeagueParams,
        headers: IfMatch,
        body: LeaguePatch,
        response: { 200: League, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx) =>
        leagues.updateLeague(tx, request.params.leagueId, request.body, ifMatch),
      );
    },
  );

  app.delete(
    '/api/leagues/:leagueId',
    {
      schema: {
        tags: ['leagues'],
        summary: 'Delete a league that has no teams yet (its organizers)',
        params: LeagueParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) => leagues.deleteLeague(tx, request.params.leagueId));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/leagues/:leagueId/organizers',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['leagues'],
        summary: 'Invite somebody by e-mail to co-organize the league (they must accept)',
        description:
          'Sends an invitation to the address and answers 202 with it, the same whether or not ' +
          'anybody has signed in with that address. The person becomes co-organizer only when, ' +
          'signed in with that (verified) address, they accept it (`POST ' +
          '/api/organizer-invites/{inviteId}/accept`). A new invitation to the same address ' +
          'replaces the open one. Without a mail server the e-mail is logged (`delivery: "logged"`).',
        params: LeagueParams,
        body: OrganizerInviteInput,
        response: { 202: OrganizerInvite, ...mailErrors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 202, (tx, user) =>
        organizerInvites.invite(tx, user, request.params.leagueId, request.body.email),
      ),
  );

  app.get(
    '/api/leagues/:leagueId/organizer-invites',
    {
      schema: {
        tags: ['leagues'],
        summary: "A league's invitations to co-organize, newest first (its organizers)",
        params: LeagueParams,
        response: { 200: z.array(OrganizerInvite), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) => organizerInvites.list(tx, request.params.leagueId));
    },
  );

  app.delete(
    '/api/leagues/:leagueId/organizer-invites/:inviteId',
    {
      schema: {
        tags: ['leagues'],
        summary: 'Withdraw a pending invitation to co-organize (409 once answered or expired)',
        params: InviteParams.extend({ leagueId: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) =>
        organizerInvites.withdraw(tx, request.params.leagueId, request.params.inviteId),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/organizer-invites',
    {
      schema: {
        tags: ['leagues'],
        summary: 'Your pending invitations to co-organize a league',
        description:
          'Invitations addressed to the e-mail you signed in with, if your identity provider ' +
          'verified it.',
        response: { 200: z.array(MyOrganizerInvite), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) => organizerInvites.mine(tx));
    },
  );

  app.post(
    '/api/organizer-invites/:inviteId/accept',
    {
      schema: {
        tags: ['leagues'],
        summary: 'Accept an invitation addressed to you: you co-organize the league',
        description: '404 unless it is addressed to you; 410 once withdrawn, answered or expired.',
        params: InviteParams,
        response: { 200: League, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) =>
        organizerInvites.accept(tx, user, request.params.inviteId),
      );
    },
  );

  app.post(
    '/api/organizer-invites/:inviteId/decline',
    {
      schema: {
        tags: ['leagues'],
        summary: 'Decline an invitation addressed to you',
        description: '404 unless it is addressed to you; 410 once withdrawn, answered or expired.',
        params: InviteParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) => organizerInvites.decline(tx, request.params.inviteId));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/leagues/:leagueId/organizers/:userId',
    {
      schema: {
        tags: ['leagues'],
        summary: 'Remove a co-organizer',
        params: LeagueParams.extend({ userId: z.uuid() }),
        response: { 200: League, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) =>
        leagues.removeCoOrganizer(tx, request.params.leagueId, request.params.userId),
      );
    },
  );

  app.post(
    '/api/leagues/:leagueId/seasons',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['leagues'],
        summary: 'Add a season (dates, registration open or closed)',
        params: LeagueParams,
        body: SeasonInput,
        response: { 201: Season, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx) =>
        leagues.createSeason(tx, request.params.leagueId, request.body),
      ),
  );

  app.patch(
    '/api/seasons/:seasonId',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['leagues'],
        summary: 'Change a season, e.g. close registration',
        params: SeasonParams,
        headers: IfMatch,
        body: SeasonPatch,
        response: { 200: Season, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx) =>
        leagues.updateSeason(tx, request.params.seasonId, request.body, ifMatch),
      );
    },
  );

  app.post(
    '/api/seasons/:seasonId/divisions',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['leagues'],
        summary: 'Add a division (a level band) to a season',
        params: SeasonParams,
        body: DivisionInput,
        response: { 201: Division, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx) =>
        leagues.createDivision(tx, request.params.seasonId, request.body),
      ),
  );

  app.delete(
    '/api/divisions/:divisionId',
    {
      schema: {
        tags: ['leagues'],
        summary: 'Delete a division that has no teams',
        params: DivisionParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) => leagues.deleteDivision(tx, request.params.divisionId));
      return reply.code(204).send(null);
    },
  );
};
