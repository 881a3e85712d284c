import type { Database } from '../../db/database';

/**
 * Sign-in plumbing. It runs on the login connection as `rally_system` because it acts before
 * anyone is signed in: the app role has no grant on sessions or sign-in flows at all. The names
 * are camelCase.
 */
export function authRepository(system: Database['system']) {
  const db = system;
  return {
    async saveFlow(flow: {
      id: string;
      state: string;
      nonce: string;
      codeVerifier: string;
      returnTo: string;
      expiresAt: Date;
    }): Promise<void> {
      await db.deleteFrom('authFlows').where('expiresAt', '<', new Date()).execute();
      await db.insertInto('authFlows').values(flow).execute();
    },

    /** Removes and returns a pending sign-in: each flow can complete once. */
    async takeFlow(id: string) {
      return db
        .deleteFrom('authFlows')
        .where('id', '=', id)
        .returning(['state', 'nonce', 'codeVerifier', 'returnTo', 'expiresAt'])
        .executeTakeFirst();
    },

    /** The user for an identity, created on first sign-in; e-mail kept current. */
    async upsertUser(identity: {
      issuer: string;
      subject: string;
      email: string | null;
      emailVerified: boolean;
      isDemo?: boolean;
    }): Promise<string> {
      const row = await db
        .insertInto('users')
        .values({
          oidcIssuer: identity.issuer,
          oidcSubject: identity.subject,
          email: identity.email,
          emailVerified: identity.emailVerified,
          isDemo: identity.isDemo ?? false,
        })
        // The values themselves, not `excluded.*`: reading `excluded` needs SELECT on those
        // columns, and the login role may not read e-mails (decision 0007).
        .onConflict((oc) =>
          oc.columns(['oidcIssuer', 'oidcSubject']).doUpdateSet({
            email: identity.email,
            emailVerified: identity.emailVerified,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async findUserId(issuer: string, subject: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('users')
        .select('id')
        .where('oidcIssuer', '=', issuer)
        .where('oidcSubject', '=', subject)
        .executeTakeFirst();
      return row?.id;
    },
  };
}
