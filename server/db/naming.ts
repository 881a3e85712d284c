import { CamelCasePlugin } from 'kysely';

/**
 * The one mapping between the database's snake_case names and the code's camelCase ones
 * (issue #11): Kysely's `CamelCasePlugin`, on every Kysely instance of `database.ts`, renames
 * tables and columns in the queries it builds and the keys of every result row, raw `sql`
 * queries' rows included. It does not rename identifiers written inside a raw `sql` string: those
 * stay snake_case there, with camelCase aliases for what the code reads. Nested objects (`jsonb`
 * values, `json_agg` rows) keep their keys: they are read and checked as they were stored.
 */
export const camelCasePlugin = new CamelCasePlugin({ maintainNestedObjectKeys: true });
