import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '#domain/schemas/problem';
import { Me, MeProfile, ProfileInput, RoleInput } from '#domain/schemas/me';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { parseIfMatch } from '../../plugins/preconditions';
import { problemResponses } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import { getMe, saveProfile, saveRole } from './me.service';

const errors = { ...problemResponses, 412: Problem.extend({ current: MeProfile.optional() }) };

export const meRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/me',
    {
      schema: {
        tags: ['me'],
        summary: 'The signed-in user, with profile, role and onboarding step',
        response: { 200: Me, 401: Problem },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const me = await db.readAs(user.id, request.url, (tx) => getMe(tx, user.id));
      if (me.profile) reply.header('etag', `"${me.profile.version}"`);
      return me;
    },
  );

  app.put(
    '/api/me/profile',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['me'],
        summary: 'Create or update the profile (onboarding step 1)',
        description:
          'Send `If-Match` with the profile version you edited to avoid overwriting a newer one (412).',
        headers: z.object({ 'if-match': z.string().optional() }),
        body: ProfileInput,
        response: { 200: Me, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx, user) =>
        saveProfile(tx, user.id, request.body, ifMatch),
      );
    },
  );

  app.put(
    '/api/me/role',
    {
      config: { idempotencyKey: true, changesSession: true },
      schema: {
        tags: ['me'],
        summary: 'Choose the role: player, captain or organizer (onboarding step 2)',
        body: RoleInput,
        response: { 200: Me, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 200, (tx, user) =>
        saveRole(tx, user.id, request.body.role),
      ),
  );
};
