import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Tx } from '../db/database';
import { idempotencyRepository as repo } from './idempotency.repository';
import { HttpProblem, badRequest } from './problem';
import { requireUser, type SessionUser } from './session';
import { sha256 } from './tokens';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route runs its write through `idempotentWrite`, which honours `Idempotency-Key`; the
     * OpenAPI document declares the header from this flag (docs.ts).
     */
    idempotencyKey?: boolean;
  }
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Runs a write at most once per `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header).
 *
 * The key is stored with the response in the caller's transaction, so the result and the key
 * commit or roll back together: a replay returns the stored response, and a failed write can be
 * retried with the same key. The same key with another request is 422. A concurrent duplicate
 * waits on the key's unique index until the first commits, then replays its response.
 */
export async function idempotent<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  tx: Tx,
  userId: string,
  write: () => Promise<{ status: number; body: T }>,
): Promise<T> {
  const key = keyOf(request);
  if (key === undefined) {
    const result = await write();
    reply.code(result.status);
    return result.body;
  }
  if (!(await repo.claim(tx, userId, key.key, key.requestHash))) {
    return replay(reply, tx, userId, key);
  }
  const result = await write();
  await repo.store(tx, userId, key.key, result.status, result.body);
  reply.code(result.status);
  return result.body;
}

/** A request's `Idempotency-Key` and the hash of what it asks; undefined without the header. */
export interface KeyClaim {
  key: string;
  requestHash: string;
}

function keyOf(request: FastifyRequest): KeyClaim | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw badRequest('The Idempotency-Key header must be 1 to 200 visible ASCII characters.', [
      { field: 'Idempotency-Key', message: 'Invalid key' },
    ]);
  }
  const requestHash = sha256(
    `${request.method} ${request.url.split('?')[0]}\n${JSON.stringify(request.body ?? null)}`,
  );
  return { key: header, requestHash };
}

/** The stored answer of a key claimed already (422 if it was claimed for another request). */
async function replay<T>(
  reply: FastifyReply,
  tx: Tx,
  userId: string,
  { key, requestHash }: KeyClaim,
): Promise<T> {
  const stored = await repo.find(tx, userId, key);
  if (stored.requestHash !== requestHash) {
    throw new HttpProblem(
      422,
      'This Idempotency-Key was already used for a different request. Use a new key for a new write.',
      { type: PROBLEM_TYPES.idempotencyKeyReused },
    );
  }
  reply.code(stored.statusCode).header('idempotent-replayed', 'true');
  return stored.response as T;
}

/**
 * The shape of every write route: signed in, one transaction as that user under row-level
 * security, at most once per `Idempotency-Key`; answers `status` with what `write` returns.
 * The route sets `config.idempotencyKey`, so that its documentation says it takes the header: a
 * route that does not is a programming error, which fails its tests and the fuzzer with a 500.
 */
export function idempotentWrite<T>(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  write: (tx: Tx, user: SessionUser) => Promise<T>,
): Promise<T> {
  if (request.routeOptions.config.idempotencyKey !== true) {
    throw new Error(
      `${request.routeOptions.method} ${request.routeOptions.url} runs idempotentWrite without ` +
        'config.idempotencyKey, so the OpenAPI document does not declare Idempotency-Key.',
    );
  }
  const user = requireUser(request);
  return db.withUser(user.id, (tx) =>
    idempotent(request, reply, tx, user.id, async () => ({ status, body: await write(tx, user) })),
  );
}

/**
 * `idempotentWrite` for a write that is one statement of its own, outside any transaction,
 * which claims the key and stores its answer itself (a database function that does what
 * `idempotent` does around it: claim with `insert … on conflict do nothing` first, store the
 * answer with `status` last, undo the claim when it refuses), and acts as the user itself
 * (`app_create_team_as`): one round trip instead of BEGIN, the claim, the write, the stored
 * answer and COMMIT. `write` gets the claim (null without the header) and returns
 * `{ claimed: false }` when the key was claimed already: its stored answer is replayed as
 * `idempotentWrite` does, in a transaction of its own.
 */
export function idempotentWriteInOne<T>(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  write: (
    user: SessionUser,
    claim: (KeyClaim & { status: number }) | null,
  ) => Promise<{ claimed: false } | { claimed: true; body: T }>,
): Promise<T> {
  if (request.routeOptions.config.idempotencyKey !== true) {
    throw new Error(
      `${request.routeOptions.method} ${request.routeOptions.url} runs idempotentWriteInOne ` +
        'without config.idempotencyKey, so the OpenAPI document does not declare Idempotency-Key.',
    );
  }
  const user = requireUser(request);
  const key = keyOf(request);
  return write(user, key ? { ...key, status } : null).then((result) => {
    if (!result.claimed) {
      if (!key) throw new Error('idempotentWriteInOne: a write without a key was not claimed');
      return db.withUser(user.id, (tx) => replay<T>(reply, tx, user.id, key));
    }
    reply.code(status);
    return result.body;
  });
}
