import { OAuth2Server } from 'oauth2-mock-server';

export interface TestIdentity {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * A real OpenID Connect provider in this process (oauth2-mock-server): discovery, authorize,
 * token endpoint with PKCE, signed ID tokens carrying the nonce. `signInAs` picks who the next
 * sign-in is; `tamper` changes the next ID token's claims (to test refusals).
 */
export async function startOidcProvider() {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  let identity: TestIdentity = { sub: 'user-1', email: 'user1@example.com', email_verified: true };
  let tamper: ((payload: Record<string, unknown>) => void) | undefined;
  // Both tokens of one token response (access and ID token) are signed with these claims.
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    Object.assign(token.payload, identity);
    tamper?.(token.payload);
  });
  server.service.on('beforeResponse', () => {
    tamper = undefined;
  });
  const issuerUrl = server.issuer.url;
  if (!issuerUrl) throw new Error('OIDC provider did not start');
  return {
    issuerUrl,
    clientId: 'rally-test-client',
    clientSecret: 'rally-test-secret',
    signInAs(next: TestIdentity) {
      identity = next;
    },
    tamper(change: (payload: Record<string, unknown>) => void) {
      tamper = change;
    },
    stop: () => server.stop(),
  };
}

export type OidcProvider = Awaited<ReturnType<typeof startOidcProvider>>;
