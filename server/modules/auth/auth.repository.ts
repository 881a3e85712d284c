import type { Kysely } from 'kysely';
import type { SnakeCaseDB } from '../../db/naming';

/**
 * Sign-in plumbing. It runs on the login connection as `rally_system` because it acts before
 * anyone is signed in: the app role has no grant on sessions or sign-in flows at all.
 */
export function authRepository(db: Kysely<SnakeCaseDB>) {
  return {
    async saveFlow(flow: {
      id: string;
      state: string;
      nonce: string;
      codeVerifier: string;
      returnTo: string;
      expiresAt: Date;
    }): Promise<void> {
      await db.deleteFrom('auth_flows').where('expires_at', '<', new Date()).execute();
      await db
        .insertInto('auth_flows')
        .values({
          id: flow.id,
          state: flow.state,
          nonce: flow.nonce,
          code_verifier: flow.codeVerifier,
          return_to: flow.returnTo,
          expires_at: flow.expiresAt,
        })
        .execute();
    },

    /** Removes and returns a pending sign-in: each flow can complete once. */
    async takeFlow(id: string) {
      return db
        .deleteFrom('auth_flows')
        .where('id', '=', id)
        .returning(['state', 'nonce', 'code_verifier', 'return_to', 'expires_at'])
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
          oidc_issuer: identity.issuer,
          oidc_subject: identity.subject,
          email: identity.email,
          email_verified: identity.emailVerified,
          is_demo: identity.isDemo ?? false,
        })
        // The values themselves, not `excluded.*`: reading `excluded` needs SELECT on those
        // columns, and the login role may not read e-mails (decision 0007).
        .onConflict((oc) =>
          oc.columns(['oidc_issuer', 'oidc_subject']).doUpdateSet({
            email: identity.email,
            email_verified: identity.emailVerified,
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
        .where('oidc_issuer', '=', issuer)
        .where('oidc_subject', '=', subject)
        .executeTakeFirst();
      return row?.id;
    },
  };
}
