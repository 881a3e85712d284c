import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildOptions } from '../app';
import { loadConfig, type Config } from '../config';
import { CSRF_COOKIE, CSRF_HEADER } from '../plugins/session';
import { createTestDatabase, type DatabaseKind } from './databases';
import type { OidcProvider } from './oidc-provider';

/** Configuration overrides that lift the rate limits: tests sign many users in from one address. */
export const NO_RATE_LIMITS = { rateLimits: { global: 100_000, auth: 100_000 } };

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

/**
 * Builds the real app on a fresh, migrated database of that kind. `env` is read as the server
 * would read it; `overrides` replace parts of the resulting configuration.
 */
export async function startTestApp(
  kind: DatabaseKind,
  options: {
    env?: Record<string, string>;
    overrides?: Partial<Config>;
    oidc?: OidcProvider;
    build?: BuildOptions;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RALLY_DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      ...(database.databaseOwnerUrl ? { DATABASE_OWNER_URL: database.databaseOwnerUrl } : {}),
      DEMO_MODE: 'false',
      PUBLIC_URL: 'http://127.0.0.1:4800',
      // Off unless a test turns it on: on the shared test machine the event loop can lag for
      // reasons of its own, and a shed request would fail a test about something else.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...(options.oidc
        ? {
            OIDC_ISSUER_URL: options.oidc.issuerUrl,
            OIDC_CLIENT_ID: options.oidc.clientId,
            OIDC_CLIENT_SECRET: options.oidc.clientSecret,
          }
        : {}),
      ...options.env,
    }),
    webDir: '/nonexistent',
    ...options.overrides,
  };
  const app = await buildApp(config, options.build);
  return {
    app,
    config,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * A browser stand-in for `app.inject`: keeps cookies, and sends the CSRF cookie back in the
 * header on state-changing requests, as the web app does.
 */
export class Agent {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse> {
    const method = (options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    const csrf = this.cookies.get(CSRF_COOKIE);
    if (method !== 'GET' && options.csrf !== false && csrf && !(CSRF_HEADER in headers)) {
      headers[CSRF_HEADER] = csrf;
    }
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const response = await this.app.inject({ ...options, method: method as 'GET', headers });
    for (const c of response.cookies as {
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }[]) {
      const expired =
        c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request({ method: 'GET', url, headers });
  }

  send(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ) {
    return this.request({ method, url, payload: payload as InjectOptions['payload'], headers });
  }

  /** Fetches a page first so the server hands out the CSRF cookie, as a browser's first load does. */
  async prime(): Promise<void> {
    await this.get('/api/auth/config');
  }

  /** Signs in through the whole OpenID Connect flow: app → provider → callback. */
  async signInWithOidc(returnTo = '/'): Promise<LightMyRequestResponse> {
    const login = await this.get(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    if (login.statusCode !== 302)
      throw new Error(`login answered ${login.statusCode}: ${login.body}`);
    const callback = await providerRedirect(login.headers.location as string);
    return this.get(callback.pathname + callback.search);
  }
}

/** Follows the provider's authorize endpoint (it signs in at once) to the callback URL it returns to. */
export async function providerRedirect(authorizeUrl: string): Promise<URL> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`provider answered ${response.status}`);
  }
  return new URL(location);
}

/** A valid onboarding profile, with overrides. */
export function buildProfile(overrides: Record<string, unknown> = {}) {
  return {
    displayName: 'Ana Ivanovic',
    phone: '+14155550123',
    cityOrClub: 'Riverside Racquet Club',
    sports: [{ sport: 'tennis', level: 'intermediate' }],
    ...overrides,
  };
}
