import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { BackupError, type Manifest } from './backup';

/** Runs one statement and gives its rows: a `pg` client's, or the owner's Kysely connection. */
export type Runner = (text: string) => Promise<Record<string, unknown>[]>;

/** The schema's tables, their rows, and the migrations applied, through `run`. */
export async function census(run: Runner): Promise<Pick<Manifest, 'rows' | 'migrations'>> {
  const tables = (
    await run(
      `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
    )
  ).map((r) => String(r.name));
  if (!tables.includes('rally_migrations')) {
    throw new BackupError('The database has no Rally Connect schema: nothing to back up.');
  }
  const rows: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await run(`select count(*)::int as n from public."${table.replace(/"/g, '""')}"`);
    rows[table] = Number(row?.n);
  }
  const applied = (await run('select name from rally_migrations order by name')).map((r) =>
    String(r.name),
  );
  return { rows, migrations: applied };
}

/** Tables, views, sequences and indexes in the schema `public`: none in an empty database. */
export async function relationsInPublic(run: Runner): Promise<number> {
  const [row] = await run(
    `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public'`,
  );
  return Number(row?.n ?? 0);
}

/** Runs a statement of the census as the owner of the tables. */
export const ownerRunner =
  (db: Database): Runner =>
  async (text) =>
    (await sql.raw<Record<string, unknown>>(text).execute(db.owner)).rows;

/** `ownerRunner` on one connection of the owner's, held by the caller (`connection()`). */
export const connectionRunner =
  (connection: Kysely<DB>): Runner =>
  async (text) =>
    (await sql.raw<Record<string, unknown>>(text).execute(connection)).rows;
