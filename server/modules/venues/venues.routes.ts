import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Venue, VenueInput, VenuePatch } from '#domain/schemas/venues';
import { Problem } from '#domain/schemas/problem';
import type { Database } from '../../db/database';
import { idempotentWrite } from '../../plugins/idempotency';
import { parseIfMatch } from '../../plugins/preconditions';
import { problemResponses as errors } from '../../plugins/responses';
import { requireUser } from '../../plugins/session';
import * as venues from './venues.service';

export const venuesRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/leagues/:leagueId/venues',
    {
      config: { revalidate: true },
      schema: {
        tags: ['scheduling'],
        summary: "A league's venues, courts and opening hours",
        params: z.object({ leagueId: z.uuid() }),
        response: { 200: z.array(Venue), 400: Problem, 404: Problem },
      },
    },
    async (request) =>
      db.readShared(await db.viewer(request.user?.id ?? null), request.url, (tx) =>
        venues.listVenues(tx, request.params.leagueId),
      ),
  );

  app.post(
    '/api/leagues/:leagueId/venues',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: 'Add a venue (organizers)',
        params: z.object({ leagueId: z.uuid() }),
        body: VenueInput,
        response: { 201: Venue, ...errors },
      },
    },
    async (request, reply) =>
      idempotentWrite(db, request, reply, 201, (tx) =>
        venues.createVenue(tx, request.params.leagueId, request.body),
      ),
  );

  app.patch(
    '/api/venues/:venueId',
    {
      config: { idempotencyKey: true },
      schema: {
        tags: ['scheduling'],
        summary: 'Change a venue (organizers; If-Match)',
        params: z.object({ venueId: z.uuid() }),
        headers: z.object({ 'if-match': z.string().optional() }),
        body: VenuePatch,
        response: { 200: Venue, ...errors },
      },
    },
    async (request, reply) => {
      const ifMatch = parseIfMatch(request);
      return idempotentWrite(db, request, reply, 200, (tx) =>
        venues.updateVenue(tx, request.params.venueId, request.body, ifMatch),
      );
    },
  );

  app.delete(
    '/api/venues/:venueId',
    {
      schema: {
        tags: ['scheduling'],
        summary: 'Delete a venue (organizers); its matches keep their dates',
        params: z.object({ venueId: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await db.withUser(user.id, (tx) => venues.deleteVenue(tx, request.params.venueId));
      return reply.code(204).send(null);
    },
  );
};
