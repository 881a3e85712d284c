import type { Tx } from '../db/database';

/** The SQL of stored `Idempotency-Key`s, in the write's own transaction. */
export const idempotencyRepository = {
  /** Claims the key for this request; false when it was claimed already (by this or another). */
  async claim(tx: Tx, userId: string, key: string, requestHash: string): Promise<boolean> {
    const claimed = await tx
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, request_hash: requestHash, status_code: 0, response: null })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    return claimed !== undefined;
  },

  find(tx: Tx, userId: string, key: string) {
    return tx
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
  },

  async store(tx: Tx, userId: string, key: string, status: number, body: unknown): Promise<void> {
    await tx
      .updateTable('idempotency_keys')
      .set({ status_code: status, response: JSON.stringify(body ?? null) })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
  },
};
