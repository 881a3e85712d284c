import { CamelCasePlugin, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema';

/**
 * The one mapping between the database's snake_case names and the code's camelCase ones
 * (issue #11): Kysely's `CamelCasePlugin` renames tables and columns in the queries it builds and
 * the keys of every result row, raw `sql` queries' rows included. It does not rename identifiers
 * written inside a raw `sql` string: those stay snake_case there. Nested objects (`jsonb` values,
 * `json_agg` rows) keep their keys: they are read and checked as they were stored.
 */
export const camelCasePlugin = new CamelCasePlugin({ maintainNestedObjectKeys: true });

/** `homeTeamId` → `home_team_id`, as `CamelCasePlugin` turns a camelCase name into the column's. */
type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}`
  : S;

/** A table's interface from `schema.ts` with the columns' own (snake_case) names. */
export type SnakeCased<Table> = {
  [C in keyof Table & string as SnakeCase<C>]: Table[C];
};

/**
 * The tables and columns under their own (snake_case) names: the view of the app's Kysely
 * instances for the modules that still map rows by hand. A module moves to `DB` with `camelCased`.
 */
export type SnakeCaseDB = {
  [T in keyof DB & string as SnakeCase<T>]: SnakeCased<DB[T]>;
};

/**
 * `db` (or a transaction) with `CamelCasePlugin`: the same connection or transaction, seen with
 * the camelCase names of `schema.ts`. Its rows cost one more object per row (the renamed copy).
 */
export function camelCased(db: Transaction<SnakeCaseDB>): Transaction<DB>;
export function camelCased(db: Kysely<SnakeCaseDB>): Kysely<DB>;
export function camelCased(db: Kysely<SnakeCaseDB>): Kysely<DB> {
  return db.withPlugin(camelCasePlugin) as unknown as Kysely<DB>;
}
