import type { Tx } from '../db/database';

/** The SQL of stored `Idempotency-Key`s, in the write's own transaction, with camelCase names. */
export const idempotencyRepository = {
  /** Claims the key for this request; false when it was claimed already (by this or another). */
  async claim(tx: Tx, userId: string, key: string, requestHash: string): Promise<boolean> {
    const claimed = await tx
      .insertInto('idempotencyKeys')
      .values({ userId, key, requestHash, statusCode: 0, response: null })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    return claimed !== undefined;
  },

  find(tx: Tx, userId: string, key: string) {
    return tx
      .selectFrom('idempotencyKeys')
      .select(['requestHash', 'statusCode', 'response'])
      .where('userId', '=', userId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
  },

  async store(tx: Tx, userId: string, key: string, status: number, body: unknown): Promise<void> {
    await tx
      .updateTable('idempotencyKeys')
      .set({ statusCode: status, response: JSON.stringify(body ?? null) })
      .where('userId', '=', userId)
      .where('key', '=', key)
      .execute();
  },
};
