import type { ColumnType } from 'kysely';

/**
 * A `jsonb` column as the code uses it: written as a JSON string (`JSON.stringify`, since `pg`
 * would send a JavaScript array as a PostgreSQL array), read as the parsed value, `unknown`
 * until the reader checks it. The generated `schema.ts` maps `jsonb` to it.
 */
export type JsonText = ColumnType<unknown, string, string>;
