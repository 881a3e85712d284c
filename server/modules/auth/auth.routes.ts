import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '#domain/schemas/problem';
import { AuthConfig, DemoSignIn } from '#domain/schemas/auth';
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import { SignInError, authService } from './auth.service';

const FLOW_COOKIE = 'rally_oidc';

export const authRoutes: FastifyPluginAsyncZod<{ config: Config; db: Database }> = async (
  app,
  { config, db },
) => {
  const auth = authService(config, db.system, app.log);
  const flowCookie = {
    path: '/api/auth',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.sessions.secure,
  };

  app.get(
    '/api/auth/config',
    {
      schema: {
        tags: ['auth'],
        summary: 'What the sign-in page offers (identity provider, demo accounts)',
        response: { 200: AuthConfig },
      },
    },
    async () => auth.publicConfig(),
  );

  app.get(
    '/api/auth/login',
    {
      config: { signInLimit: true },
      schema: {
        tags: ['auth'],
        summary: 'Start sign-in: redirects (302) to the OpenID Connect provider',
        querystring: z.object({
          returnTo: z
            .string()
            .max(500)
            .optional()
            .describe(
              'Where to go after sign-in: a same-origin path (one leading `/`, printable ASCII, no backslash); anything else becomes `/`',
            ),
        }),
        response: { 302: z.null().describe('Redirect to the provider'), 404: Problem },
      },
    },
    async (request, reply) => {
      const { url, flowToken } = await auth.begin(request.query.returnTo);
      reply.setCookie(FLOW_COOKIE, flowToken, { ...flowCookie, maxAge: 600 });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/api/auth/callback',
    {
      config: { signInLimit: true },
      schema: {
        tags: ['auth'],
        summary: "The provider's redirect back: signs in and redirects to the app",
        response: { 302: z.null().describe('Redirect into the app, or to /sign-in?error=...') },
      },
    },
    async (request, reply) => {
      reply.clearCookie(FLOW_COOKIE, flowCookie);
      try {
        const { userId, returnTo } = await auth.complete(request.cookies[FLOW_COOKIE], request.url);
        await app.sessions.start(request, reply, userId);
        return reply.redirect(returnTo, 302);
      } catch (error) {
        if (error instanceof SignInError) {
          return reply.redirect(`/sign-in?error=${error.reason}`, 302);
        }
        throw error;
      }
    },
  );

  app.post(
    '/api/auth/demo',
    {
      config: { signInLimit: true, signIn: 'optional' },
      schema: {
        tags: ['auth'],
        summary: 'Demo mode only: sign in as a demo user',
        body: DemoSignIn,
        response: { 204: z.null(), 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const userId = await auth.demoUser(request.body.user);
      await app.sessions.start(request, reply, userId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { signIn: 'optional' },
      schema: {
        tags: ['auth'],
        summary: "Sign out: ends this browser's session",
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await app.sessions.end(request, reply);
      return reply.code(204).send(null);
    },
  );
};
