import pg from 'pg';

/**
 * Counts the statements this process sends to PostgreSQL (every `pg` client's `query`: one round
 * trip each, a multi-statement simple query included) while `fn` runs, and lists their first
 * words. For tests that hold a route to its number of round trips; nothing else may query
 * meanwhile.
 */
export async function countStatements<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; count: number; statements: string[] }> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  // pg's query has many overloads; the wrapper passes every call through as it came.
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text =
      typeof first === 'string'
        ? first
        : String((first as { text?: string } | undefined)?.text ?? '');
    statements.push(text.replace(/\s+/g, ' ').trim().slice(0, 80));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    const result = await fn();
    return { result, count: statements.length, statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}
