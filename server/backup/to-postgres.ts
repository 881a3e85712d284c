import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, type Migration, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { migrations } from '../db/migrations';
import { BackupError, type Manifest } from './backup';
import type { Runner } from './backup.repository';
import {
  COPY_SETTINGS,
  copyIn,
  copyOut,
  holdTable,
  restoreTable,
  sequenceStates,
  setSequence,
  sourceTables,
  targetTables,
  truncateAll,
  type SourceTable,
} from './to-postgres.repository';

/** Rows go to the server in pieces of this size (one CopyData message each). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The tables in an order in which every table comes after the tables it refers to, so that each
 * foreign key finds its rows. A table referring to itself needs no order: its key is checked at
 * the end of the `COPY` statement. A cycle between tables has no such order; refused.
 */
export function copyOrder(tables: SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: SourceTable[] = [];
  const visit = (table: SourceTable, path: string[]) => {
    if (done.has(table.name)) return;
    if (visiting.has(table.name)) {
      throw new BackupError(
        `The tables refer to each other in a cycle (${[...path, table.name].join(' → ')}): this backup cannot be copied into PostgreSQL table by table.`,
      );
    }
    visiting.add(table.name);
    for (const name of table.references) {
      const referred = byName.get(name);
      if (referred) visit(referred, [...path, table.name]);
    }
    visiting.delete(table.name);
    done.add(table.name);
    order.push(table);
  };
  for (const table of tables) visit(table, []);
  return order;
}

/** A pool of one: the client whose transaction the migrator must work in. */
function poolOf(client: pg.Client): PostgresPool {
  const connection = Object.assign(client, { release: () => {} });
  return { connect: async () => connection, end: async () => {} };
}

/**
 * Restores an embedded backup (PGlite's data directory, `payload`) into the empty PostgreSQL
 * database at `ownerUrl`, as its owner, in one transaction: all of it, or nothing (decision
 * 0017). The data directory opens in a scratch in-memory PGlite; the target gets the schema from
 * our own migrations up to the backup's, as a fresh install would (tables, policies, grants,
 * roles, owned by the restoring owner), then every table's rows by `COPY`, parents before
 * children, with the tables' own triggers held off, then every sequence where it stood and the
 * migrations' bookkeeping as the backup has it. The caller checks the rows afterwards.
 */
export async function restoreEmbeddedIntoPostgres(
  ownerUrl: string,
  payload: Blob,
  manifest: Manifest,
): Promise<void> {
  const source = await PGlite.create({ loadDataDir: payload }).catch((error: Error) => {
    throw new BackupError(`The backup's data directory does not open: ${error.message}`);
  });
  const client = new pg.Client({ connectionString: ownerUrl });
  try {
    const fromSource: Runner = async (text) =>
      (await source.query<Record<string, unknown>>(text)).rows;
    const onTarget: Runner = async (text) => (await client.query(text)).rows;
    await source.exec('begin isolation level repeatable read read only');
    for (const setting of COPY_SETTINGS) await fromSource(setting);
    const tables = copyOrder(await sourceTables(fromSource));
    const sequences = await sequenceStates(fromSource);

    await client.connect();
    await client.query('begin');
    try {
      const migrator = new Migrator({
        db: new Kysely({ dialect: new PostgresDialect({ pool: poolOf(client) }) }),
        // Exactly the backup's schema: the rows fit it, and `rally migrate` brings it up to date.
        provider: {
          getMigrations: async () =>
            Object.fromEntries(
              manifest.migrations.map((name) => [name, migrations[name] as Migration]),
            ),
        },
        migrationTableName: 'rally_migrations',
        migrationLockTableName: 'rally_migrations_lock',
        // Inside the transaction this function holds open.
        disableTransactions: true,
      });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;

      const target = await targetTables(onTarget);
      const missing = tables.filter((t) => !target.some((u) => u.name === t.name));
      const extra = target.filter((u) => !tables.some((t) => t.name === u.name));
      if (missing.length > 0 || extra.length > 0) {
        throw new BackupError(
          `The migrations do not make the backup's tables (missing ${missing.map((t) => t.name).join(', ') || 'none'}; not in the backup ${extra.map((t) => t.name).join(', ') || 'none'}).`,
        );
      }
      for (const setting of COPY_SETTINGS) await onTarget(setting);
      await onTarget(truncateAll(target.map((t) => t.name)));
      for (const { name, forced } of target) {
        for (const statement of holdTable(name, forced)) await onTarget(statement);
      }
      for (const table of tables) {
        const out = await source.query(copyOut(table));
        // No blob when the table has no rows.
        const rows = new Uint8Array((await out.blob?.arrayBuffer()) ?? new ArrayBuffer(0));
        await pipeline(
          async function* () {
            for (let at = 0; at < rows.length; at += CHUNK_BYTES) {
              yield rows.subarray(at, at + CHUNK_BYTES);
            }
          },
          client.query(copyFrom(copyIn(table))),
        );
      }
      for (const { name, forced } of target) {
        for (const statement of restoreTable(name, forced)) await onTarget(statement);
      }
      for (const sequence of sequences) await onTarget(setSequence(sequence));
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      if (error instanceof BackupError) throw error;
      throw new BackupError(
        `Restoring into PostgreSQL failed, nothing was written: ${(error as Error).message}`,
      );
    }
  } finally {
    await client.end().catch(() => {});
    await source.close();
  }
}
