import type { Runner } from './backup.repository';

/** A table of the embedded database as its rows are copied: its columns, and what it refers to. */
export interface SourceTable {
  name: string;
  /** Stored columns in order: a generated column is computed again by the target. */
  columns: string[];
  /** The other tables its foreign keys point at; its own name is left out (see `copyOrder`). */
  references: string[];
}

/** A sequence's state, as `setval(name, value, called)` makes it again. */
export interface SequenceState {
  name: string;
  value: string;
  called: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The same text on both ends of a `COPY`: ISO dates, intervals as PostgreSQL writes them,
 * floats to the last digit (what `pg_dump` sets). Local to the transaction.
 */
export const COPY_SETTINGS = [
  `select set_config('datestyle', 'ISO, YMD', true)`,
  `select set_config('intervalstyle', 'postgres', true)`,
  `select set_config('extra_float_digits', '3', true)`,
];

/** The tables of the schema `public`, their stored columns and the tables they refer to. */
export async function sourceTables(run: Runner): Promise<SourceTable[]> {
  const rows = await run(`
    select c.relname as name,
      (select json_agg(a.attname order by a.attnum) from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      ) as columns,
      (select coalesce(json_agg(distinct f.relname), '[]') from pg_constraint k
        join pg_class f on f.oid = k.confrelid
        where k.conrelid = c.oid and k.contype = 'f' and f.oid <> c.oid
      ) as refs
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
    order by c.relname`);
  return rows.map((r) => ({
    name: String(r.name),
    columns: (typeof r.columns === 'string' ? JSON.parse(r.columns) : r.columns) as string[],
    references: (typeof r.refs === 'string' ? JSON.parse(r.refs) : r.refs) as string[],
  }));
}

/** Every sequence of the schema `public` (identity columns' included) and where it stands. */
export async function sequenceStates(run: Runner): Promise<SequenceState[]> {
  const rows = await run(`
    select sequencename as name, coalesce(last_value, start_value)::text as value,
      last_value is not null as called
    from pg_sequences where schemaname = 'public' order by sequencename`);
  return rows.map((r) => ({ name: String(r.name), value: String(r.value), called: !!r.called }));
}

/** The target's tables once migrated, and whether their row-level security is FORCEd. */
export async function targetTables(run: Runner): Promise<{ name: string; forced: boolean }[]> {
  const rows = await run(`
    select relname as name, relforcerowsecurity as forced from pg_class
    where relnamespace = 'public'::regnamespace and relkind = 'r' order by relname`);
  return rows.map((r) => ({ name: String(r.name), forced: !!r.forced }));
}

/** Empties the tables in one statement: rows a migration may have written make way for the backup's. */
export const truncateAll = (tables: string[]) =>
  `truncate table ${tables.map((t) => `public.${quote(t)}`).join(', ')}`;

/**
 * Before the rows go in: the table's own triggers off (they check steps and announce changes of
 * rows that are only being copied), and FORCEd row-level security lifted, since `COPY FROM`
 * refuses a table whose row-level security applies to the role that copies. Both are the
 * owner's to change, and come back in the same transaction (`restoreTable`).
 */
export const holdTable = (table: string, forced: boolean) => [
  `alter table public.${quote(table)} disable trigger user`,
  ...(forced ? [`alter table public.${quote(table)} no force row level security`] : []),
];

/** What `holdTable` changed, as the migrations made it. */
export const restoreTable = (table: string, forced: boolean) => [
  `alter table public.${quote(table)} enable trigger user`,
  ...(forced ? [`alter table public.${quote(table)} force row level security`] : []),
];

/** The source's rows of `table` in COPY's text format, into PGlite's blob. */
export const copyOut = (table: SourceTable) =>
  `copy public.${quote(table.name)} (${table.columns.map(quote).join(', ')}) to '/dev/blob'`;

/** The same rows into the target, from the client. */
export const copyIn = (table: SourceTable) =>
  `copy public.${quote(table.name)} (${table.columns.map(quote).join(', ')}) from stdin`;

/** Sets a sequence where the source's stood: past every id copied. */
export const setSequence = (sequence: SequenceState) =>
  `select setval('public.${quote(sequence.name).replace(/'/g, "''")}', ${BigInt(sequence.value)}, ${sequence.called})`;
