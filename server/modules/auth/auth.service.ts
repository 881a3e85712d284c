import * as oidc from 'openid-client';
import type { FastifyBaseLogger } from 'fastify';
import type { AuthConfig } from '#domain/schemas/auth';
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import { DEMO_ISSUER, DEMO_USERS } from './demo-users';
import { notFound } from '../../plugins/problem';
import { keyedHash, randomToken } from '../../plugins/tokens';
import { authRepository } from './auth.repository';

/** How long a started sign-in may take at the provider. */
const FLOW_TTL_MS = 10 * 60 * 1000;

/** Why a sign-in failed, as the sign-in page names it (`/sign-in?error=...`). */
export type SignInFailure = 'state' | 'provider' | 'expired' | 'denied';

export class SignInError extends Error {
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** An error's message with those of its causes: openid-client puts the specific reason there. */
function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 5; e = e.cause) {
    messages.push(e.message);
  }
  return messages.join(': ') || String(error);
}

/** Where any return path is resolved: only its path, query and fragment are kept. */
const SAME_ORIGIN = 'http://rally.invalid';

/**
 * Only a same-origin path may follow sign-in; anything else becomes `/`. The value (as the query
 * string decoded it) must start with one `/` (not `//` or `/\`, which browsers read as another
 * host), hold no backslash and only printable ASCII: control and non-ASCII characters are refused,
 * since they are invalid in a `Location` header (a 500, issue #10) and some normalise to `.` or
 * `/` in a browser. What is kept is re-serialised by the URL parser, so it goes out percent-encoded.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(value) || value.includes('\\')) return '/';
  const url = new URL(value, SAME_ORIGIN);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments are resolved by the parser: `/..//evil` comes out as `//evil`.
  return url.origin === SAME_ORIGIN && !path.startsWith('//') ? path : '/';
}

/**
 * OpenID Connect sign-in (authorization code flow with PKCE, `state` and `nonce`) through
 * `openid-client`, and demo sign-in. The provider's metadata is discovered on first use and
 * cached; a failed discovery is retried on the next sign-in.
 */
export function authService(config: Config, system: Database['system'], log: FastifyBaseLogger) {
  const repo = authRepository(system);
  const redirectUri = new URL('/api/auth/callback', config.publicUrl).href;
  let discovered: Promise<oidc.Configuration> | undefined;

  function provider(): Promise<oidc.Configuration> {
    const settings = config.oidc;
    if (!settings) throw notFound('Sign-in with an identity provider is not configured here.');
    // Plain http only for a provider on this machine (development and tests).
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(settings.issuer.hostname);
    discovered ??= oidc
      .discovery(
        settings.issuer,
        settings.clientId,
        settings.clientSecret,
        undefined,
        local && settings.issuer.protocol === 'http:'
          ? { execute: [oidc.allowInsecureRequests] }
          : {},
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  }

  const flowId = (token: string) => keyedHash(config.sessionSecret, 'flow', token);

  return {
    publicConfig(): AuthConfig {
      return {
        oidcEnabled: config.oidc !== undefined,
        demoMode: config.demoMode,
        demoUsers: config.demoMode
          ? [
              ...DEMO_USERS.map((u) => ({
                key: u.key,
                displayName: u.profile.displayName,
                role: u.role,
              })),
              { key: 'new', displayName: 'A new player', role: null },
            ]
          : [],
      };
    },

    /** Starts a sign-in: returns the provider URL and the browser-bound flow token. */
    async begin(returnTo: unknown): Promise<{ url: string; flowToken: string }> {
      const configuration = await provider();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const flowToken = randomToken();
      await repo.saveFlow({
        id: flowId(flowToken),
        state,
        nonce,
        codeVerifier,
        returnTo: safeReturnTo(returnTo),
        expiresAt: new Date(Date.now() + FLOW_TTL_MS),
      });
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, flowToken };
    },

    /**
     * Completes a sign-in from the provider's redirect. The flow is consumed first, so a replayed
     * callback (a reused code) finds nothing; the state, nonce, PKCE verifier and ID token are
     * checked by openid-client. Returns the user id and where to go next.
     */
    async complete(
      flowToken: string | undefined,
      requestUrl: string,
    ): Promise<{ userId: string; returnTo: string }> {
      const query = new URL(requestUrl, config.publicUrl).searchParams;
      if (query.get('error') === 'access_denied') {
        throw new SignInError('denied', 'The provider reports that sign-in was cancelled.');
      }
      const flow = flowToken ? await repo.takeFlow(flowId(flowToken)) : undefined;
      if (!flow || flow.expiresAt.getTime() < Date.now()) {
        throw new SignInError('expired', 'No sign-in in progress for this browser, or it expired.');
      }
      const configuration = await provider();
      const currentUrl = new URL(requestUrl, redirectUri);
      let claims: oidc.IDToken | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (error) {
        const message = causes(error);
        log.warn({ reason: message }, 'sign-in refused');
        throw new SignInError(/"state"/.test(message) ? 'state' : 'provider', message);
      }
      if (!claims?.sub) throw new SignInError('provider', 'The ID token has no subject.');
      const email = typeof claims.email === 'string' ? claims.email.slice(0, 320) : null;
      const userId = await repo.upsertUser({
        issuer: configuration.serverMetadata().issuer,
        subject: claims.sub,
        email,
        emailVerified: claims.email_verified === true,
      });
      // Checked again: a flow stored before the rule was tightened must not reach the header.
      return { userId, returnTo: safeReturnTo(flow.returnTo) };
    },

    /** Demo sign-in: a seeded account, or (`new`) a fresh one that goes through onboarding. */
    async demoUser(key: string): Promise<string> {
      if (!config.demoMode) throw notFound('Demo sign-in is off on this server.');
      if (key === 'new') {
        const subject = `new-${randomToken().slice(0, 12)}`;
        return repo.upsertUser({
          issuer: DEMO_ISSUER,
          subject,
          email: null,
          emailVerified: false,
          isDemo: true,
        });
      }
      const known = DEMO_USERS.some((u) => u.key === key);
      const id = known ? await repo.findUserId(DEMO_ISSUER, key) : undefined;
      if (!id) throw notFound(`There is no demo user '${key}'.`);
      return id;
    },
  };
}
