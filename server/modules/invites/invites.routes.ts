import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Invite, InviteInput, InvitePreview } from '#domain/schemas/invites';
import { Team } from '#domain/schemas/teams';
import { Problem } from '#domain/schemas/problem';
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import type { Mailer } from '../../mail/mailer';
import { idempotentWrite } from '../../plugins/idempotency';
import { problemResponses } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import { invitesService } from './invites.service';

const errors = { ...problemResponses, 502: Problem };
const TeamParams = z.object({ teamId: z.uuid() });
const TokenParams = z.object({
  token: z.string().regex(/^[\w-]{20,100}$/, 'Not an invitation token'),
});

export const invitesRoutes: FastifyPluginAsyncZod<{
  db: Database;
  config: Config;
  mailer: Mailer;
}> = async (app, { db, config, mailer }) => {
  const invites = invitesService({
    secret: config.sessionSecret,
    publicUrl: config.publicUrl,
    mailer,
  });

  app.get(
    '/api/teams/:teamId/invites',
    {
      schema: {
        tags: ['invites'],
        summary: "A team's invitations (captains and organizers)",
        params: TeamParams,
        response: { 200: z.array(Invite), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) => invites.list(tx, request.params.teamId));
    },
  );

  app.post(
    '/api/teams/:teamId/invites',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['invites'],
        summary: 'Create a shareable link, or invite by e-mail',
        description:
          'The response carries the invitation URL; it is never shown again. Without a mail ' +
          'server, an e-mail invitation is logged (`delivery: "logged"`): share the URL yourself.',
        params: TeamParams,
        body: InviteInput,
        response: { 201: Invite, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx, user) =>
        invites.create(tx, user, request.params.teamId, request.body),
      ),
  );

  app.delete(
    '/api/teams/:teamId/invites/:inviteId',
    {
      schema: {
        tags: ['invites'],
        summary: 'Withdraw an invitation',
        params: TeamParams.extend({ inviteId: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) =>
        invites.revoke(tx, request.params.teamId, request.params.inviteId),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/invites/:token',
    {
      schema: {
        tags: ['invites'],
        summary: 'What an invitation is for (works signed out); 410 once it is no longer open',
        params: TokenParams,
        response: { 200: InvitePreview, ...errors },
      },
    },
    async (request) =>
      db.withUser(request.user?.id ?? null, (tx) => invites.preview(tx, request.params.token)),
  );

  app.post(
    '/api/invites/:token/accept',
    {
      schema: {
        tags: ['invites'],
        summary: 'Join the team (signed in); 409 when the roster is full',
        params: TokenParams,
        response: { 200: Team, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.withUser(user.id, (tx) => invites.accept(tx, user, request.params.token));
    },
  );

  app.post(
    '/api/invites/:token/decline',
    {
      schema: {
        tags: ['invites'],
        summary: 'Decline an invitation',
        params: TokenParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) => invites.decline(tx, request.params.token));
      return reply.code(204).send(null);
    },
  );
};
