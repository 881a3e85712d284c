import type { Config } from '../../server/config';
import type { Database } from '../../server/db/database';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../../server/plugins/session';
import { keyedHash, randomToken } from '../../server/plugins/tokens';

/** A signed-in user as a benchmark sends their requests: their id and the headers. */
export interface BenchUser {
  id: string;
  headers: Record<string, string>;
}

/** A session for `userId`, as if they had just signed in: the cookies a browser then sends. */
export async function signIn(db: Database, config: Config, userId: string): Promise<BenchUser> {
  const token = randomToken();
  await db.owner
    .insertInto('sessions')
    .values({
      id: keyedHash(config.sessionSecret, 'session', token),
      userId,
      expiresAt: new Date(Date.now() + config.sessionTtlDays * 86_400_000),
    })
    .execute();
  const csrf = keyedHash(config.sessionSecret, 'csrf', token);
  return {
    id: userId,
    headers: { cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${csrf}`, [CSRF_HEADER]: csrf },
  };
}
