import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '#domain/schemas/me';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { sendProblem } from './errors';
import { unauthorized } from './problem';
import { sessionCache } from './session-cache';
import { sessionsRepository as repo } from './session.repository';
import { keyedHash, randomToken, sameToken } from './tokens';

export const SESSION_COOKIE = 'rally_session';
export const CSRF_COOKIE = 'rally_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionUser {
  id: string;
  role: Role | null;
  isDemo: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET route that checks the session in its own statement (`app.sessions.inQuery`). */
    sessionInQuery?: boolean;
    /**
     * Whether the route needs a signed-in user, checked before the body is read or validated.
     * Defaults to `required` for POST, PUT, PATCH and DELETE and `optional` for reads.
     */
    signIn?: 'required' | 'optional';
    /**
     * The write may change the acting user's session or user row (their role): this server
     * forgets their kept sessions when it answers (decision 0013), before the database's notice
     * arrives. Other writes leave the session kept.
     */
    changesSession?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user, or null. Set for every `/api` request. */
    user: SessionUser | null;
    /** The raw session token from the cookie (never logged, never stored). */
    sessionToken: string | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request with this method needs the CSRF header (the API's writes). */
export function needsCsrf(method: string): boolean {
  return UNSAFE.has(method);
}

/**
 * Whether a route turns a signed-out request away (401) before its body is read: its
 * `config.signIn`, by default `required` for writes and `optional` for reads. A read can still
 * answer 401 from its handler (`requireUser`).
 */
export function signInRequired(method: string, config: FastifyContextConfig): boolean {
  return (config.signIn ?? (needsCsrf(method) ? 'required' : 'optional')) === 'required';
}

/**
 * Whether a request was routed to an API route. Checks go by the route that matched, never by the
 * raw URL: the router decodes `/%61pi/...` to `/api/...` (issue #10).
 */
export function isApiRoute(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith('/api/') ?? false;
}

/** The signed-in user, or a 401 problem. */
export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

/** What a statement that looks the session up itself answers (`sessions.inQuery`). */
export interface SessionQueryAnswer<T> {
  expiresAt: Date;
  /** When the session started: it ends SESSION_MAX_DAYS later at the latest. */
  createdAt: Date;
  result: T;
}

/** A session as its look-up finds it: its user (`id`, `role`, `isDemo`), expiry and start. */
export type SessionLookUp = NonNullable<Awaited<ReturnType<typeof repo.find>>>;

export interface SessionOptions {
  config: Config;
  db: Database;
}

/**
 * Server-side sessions and CSRF protection.
 *
 * The session cookie holds a random token; the database keeps only its keyed hash. CSRF uses the
 * signed double-submit pattern: the readable `rally_csrf` cookie carries a token derived from the
 * session (HMAC with the server secret), and every state-changing request must echo it in the
 * `x-csrf-token` header. Before sign-in the token is random and only has to match the cookie.
 */
export const sessionPlugin = fp(async (app: FastifyInstance, { config, db }: SessionOptions) => {
  const secure = config.publicUrl.protocol === 'https:';
  const ttlMs = config.sessionTtlDays * 24 * 3600 * 1000;
  const maxMs = config.sessionMaxDays * 24 * 3600 * 1000;
  /** A session is live until its sliding expiry and, however much it is used, its absolute end. */
  const live = (expiresAt: Date, createdAt: Date) =>
    expiresAt.getTime() > Date.now() && createdAt.getTime() + maxMs > Date.now();
  const sessionId = (token: string) => keyedHash(config.sessionSecret, 'session', token);
  const csrfFor = (token: string) => keyedHash(config.sessionSecret, 'csrf', token);

  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);

  const liveRow = (row: SessionLookUp) => live(row.expiresAt, row.createdAt);
  // On PostgreSQL kept in memory until the database announces a change (decision 0013); on
  // embedded PGlite until the next write (decision 0006).
  const kept = sessionCache<SessionLookUp>(db, liveRow);
  if (kept) app.addHook('onClose', () => kept.stop());
  const findSession = (id: string) =>
    kept
      ? kept.cache.get(id, () => repo.find(db.system, id))
      : db.cachedRead(
          `session:${id}`,
          () => repo.find(db.system, id),
          (found) => found !== undefined && liveRow(found),
        );

  /**
   * Sliding expiry, written at most once per half-life so reads stay read-only, and never past
   * the absolute end (SESSION_MAX_DAYS after sign-in): once there, the session is left to end.
   */
  async function keepAlive(
    reply: FastifyReply,
    token: string,
    expiresAt: Date,
    createdAt: Date,
    userId?: string,
  ): Promise<void> {
    const now = Date.now();
    if (expiresAt.getTime() - now >= ttlMs / 2) return;
    const renewed = Math.min(now + ttlMs, createdAt.getTime() + maxMs);
    if (renewed <= expiresAt.getTime()) return;
    await repo.extend(db.system, sessionId(token), new Date(renewed));
    if (userId) kept?.cache.forgetUser(userId);
    setSessionCookie(reply, token, renewed - now);
  }

  /** The session cookie's token, if it has the shape of one. */
  const tokenOf = (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE];
    return token && token.length <= 100 ? token : undefined;
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isApiRoute(request)) return;
    const token = tokenOf(request);
    const { sessionInQuery } = request.routeOptions.config;
    // A read that checks the session in its own statement (sessions.inQuery) skips the look-up.
    const inQuery = sessionInQuery === true && request.method === 'GET';
    if (token && !inQuery) {
      const row = await app.sessions.lookUp(sessionId(token));
      if (row && liveRow(row)) {
        request.user = { id: row.id, role: row.role, isDemo: row.isDemo };
        request.sessionToken = token;
        await keepAlive(reply, token, row.expiresAt, row.createdAt, row.id);
      }
    }
    if (needsCsrf(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = request.sessionToken
        ? csrfFor(request.sessionToken)
        : request.cookies[CSRF_COOKIE];
      if (typeof sent !== 'string' || !expected || !sameToken(sent, expected)) {
        return sendProblem(
          reply,
          403,
          `Missing or wrong CSRF token: send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header.`,
          { type: PROBLEM_TYPES.csrf },
        );
      }
    }
    // Before the body is read: a signed-out request costs no parsing or validation (issue #10).
    const required = signInRequired(request.method, request.routeOptions.config);
    if (required && !inQuery && !request.user) throw unauthorized();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!isApiRoute(request)) return payload;
    // A write that may have changed the writer's session or role (a role chosen): this server
    // forgets it now, the others when the database's notice reaches them. Any other write keeps
    // it: forgetting would cost every write a look-up (issue #12 item 5).
    if (request.user && request.routeOptions.config.changesSession === true) {
      kept?.cache.forgetUser(request.user.id);
    }
    const expected = request.sessionToken ? csrfFor(request.sessionToken) : undefined;
    const current = request.cookies[CSRF_COOKIE];
    if (expected ? current !== expected : !current) {
      reply.setCookie(CSRF_COOKIE, expected ?? randomToken(), {
        path: '/',
        sameSite: 'lax',
        secure,
        httpOnly: false,
      });
    }
    return payload;
  });

  function setSessionCookie(reply: FastifyReply, token: string, lifetimeMs: number) {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: Math.floor(lifetimeMs / 1000),
    });
  }

  app.decorate('sessions', {
    /**
     * The live session under this id (the keyed hash of its token), with its user: kept in
     * memory (decisions 0006 and 0013) or read. Every API request with a session cookie asks.
     */
    lookUp: findSession,
    /**
     * Starts a session for `userId`: a new token every time (the id rotates at sign-in), the old
     * session of this browser ended, and (in onSend) a CSRF token bound to the new session.
     */
    async start(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void> {
      const previous = request.cookies[SESSION_COOKIE];
      const token = randomToken();
      await repo.start(
        db.system,
        {
          id: sessionId(token),
          userId,
          expiresAt: new Date(Date.now() + ttlMs),
          userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
        },
        previous ? sessionId(previous) : undefined,
      );
      // The browser's previous session has ended: forgotten here now, elsewhere by the notice.
      if (request.user) kept?.cache.forgetUser(request.user.id);
      request.sessionToken = token;
      setSessionCookie(reply, token, ttlMs);
    },
    /**
     * For a GET route with `config: { sessionInQuery: true }`, which looks the session up in its
     * own statement (one round trip for the whole request): `query` gets the session id (the
     * keyed hash of the cookie's token) and answers with the session's expiry, its start and its
     * result, or null when there is no unexpired session (401). A session past its absolute end
     * is refused here; a live one is kept alive as for any other request.
     */
    async inQuery<T>(
      request: FastifyRequest,
      reply: FastifyReply,
      query: (sessionId: string) => Promise<SessionQueryAnswer<T> | null>,
    ): Promise<T> {
      const token = tokenOf(request);
      const found = token ? await query(sessionId(token)) : null;
      if (!token || !found || !live(found.expiresAt, found.createdAt)) throw unauthorized();
      request.sessionToken = token;
      await keepAlive(reply, token, found.expiresAt, found.createdAt);
      return found.result;
    },
    /** Ends this browser's session. */
    async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await repo.end(db.system, sessionId(token));
      if (request.user) kept?.cache.forgetUser(request.user.id);
      request.sessionToken = null;
      request.user = null;
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
      reply.setCookie(CSRF_COOKIE, randomToken(), { path: '/', sameSite: 'lax', secure });
    },
    secure,
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    sessions: {
      lookUp(id: string): Promise<SessionLookUp | undefined>;
      start(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void>;
      inQuery<T>(
        request: FastifyRequest,
        reply: FastifyReply,
        query: (sessionId: string) => Promise<SessionQueryAnswer<T> | null>,
      ): Promise<T>;
      end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
      secure: boolean;
    };
  }
}
