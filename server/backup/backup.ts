import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline as streamPipeline, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Config } from '../config';
import { openDatabase, type Database } from '../db/database';
import { migrations } from '../db/migrations';
import { census, connectionRunner, ownerRunner, relationsInPublic } from './backup.repository';
import { restoreEmbeddedIntoPostgres } from './to-postgres';

/**
 * `rally backup`, `rally restore`, `rally backup verify`: a backup is one file,
 *
 *     RALLY-BACKUP 1\n<sha-256 of the rest, hex>\n<manifest, JSON>\n<payload>
 *
 * The payload is `pg_dump`'s custom format (PostgreSQL) or PGlite's gzipped data directory
 * (embedded). The manifest says which, the schema version (the last migration applied), and the
 * rows of every table at the instant the payload was taken, which a restore checks. The checksum
 * covers manifest and payload: a truncated or altered file is refused before anything is written.
 */
const MAGIC = 'RALLY-BACKUP 1';
/** A manifest is a few kilobytes; a header longer than this is not one of ours. */
const MAX_HEADER_BYTES = 1024 * 1024;

export interface Manifest {
  kind: 'postgres' | 'embedded';
  payload: 'rally-postgres-gz' | 'pglite-datadir-tgz';
  createdAt: string;
  /** The last migration applied: what `rally migrate` of this version would need. */
  schemaVersion: string;
  migrations: string[];
  /** PostgreSQL: the role that owned the schema, which a restore replaces with its own. */
  owner?: string;
  /** Rows of every table of the schema, read in the same snapshot as the payload. */
  rows: Record<string, number>;
  payloadBytes: number;
}

/** A problem with a backup or its target, in one line for the operator; nothing was changed. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/**
 * A full disk (or quota) under `dir` as the operator's one line; any other error as it was.
 * Whatever was being written there has been removed by the caller.
 */
function diskFull(error: unknown, dir: string): unknown {
  let code = (error as NodeJS.ErrnoException | undefined)?.code;
  // pg_dump and psql say it in their own words (strerror's).
  if (error instanceof BackupError && /No space left on device/.test(error.message))
    code = 'ENOSPC';
  if (error instanceof BackupError && /Disk quota exceeded/.test(error.message)) code = 'EDQUOT';
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new BackupError(
    `Cannot write the backup: the disk holding ${dir} is full (${code}). Nothing was left there; free some space, or back up elsewhere.`,
  );
}

/** The line of a PostgreSQL tool's output that says what went wrong. */
function firstError(stderr: string): string | undefined {
  const lines = stderr.trim().split('\n');
  return lines.find((l) => /error:/i.test(l)) ?? lines[0];
}

const ownerUrl = (config: Config) => config.databaseOwnerUrl ?? (config.databaseUrl as string);

/** `rally-<kind>-<UTC time>-<schema version>.rally-backup` */
function fileName(manifest: Manifest): string {
  const time = manifest.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `rally-${manifest.kind}-${time}-${manifest.schemaVersion}.rally-backup`;
}

/**
 * Writes `input` into `stdin` as fast as the reader takes it, then ends it; stops quietly if the
 * reader goes away (its exit code says why). Ends `stdin` only when all of `input` was written.
 */
async function feed(input: () => AsyncIterable<Buffer | string>, stdin: Writable): Promise<void> {
  stdin.on('error', () => {});
  for await (const chunk of input()) {
    if (stdin.destroyed) return;
    if (!stdin.write(chunk)) {
      await new Promise((resolve) => {
        stdin.once('drain', resolve);
        stdin.once('close', resolve);
      });
    }
  }
  stdin.end();
}

/**
 * A PostgreSQL tool's run: `args`, its standard output into `out` when given, its standard input
 * from `input` when given. A tool that fails is reported by its own words, not by the broken
 * pipe its exit leaves. `signal` ends it (SIGTERM): a scheduled backup stops with the server.
 */
function tool(
  command: string,
  args: string[],
  out?: string,
  input?: () => AsyncIterable<Buffer | string>,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [input ? 'pipe' : 'ignore', out ? 'pipe' : 'ignore', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const written = out && child.stdout ? pipeline(child.stdout, createWriteStream(out)) : null;
    let inputError: Error | undefined;
    const fed = input && child.stdin ? feed(input, child.stdin) : null;
    // The input failing (not the tool): the tool is killed before its input ends, since psql
    // would take the end of its input for the end of the script and commit what it has.
    fed?.catch((error: Error) => {
      inputError = error;
      child.kill('SIGKILL');
    });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          error.code === 'ENOENT'
            ? `${command} is not installed: it comes with PostgreSQL's client tools, of the server's version or newer`
            : error.name === 'AbortError'
              ? `${command} stopped: the backup was cancelled`
              : `${command}: ${error.message}`,
        ),
      ),
    );
    child.once('exit', (code) => {
      if (inputError) {
        reject(inputError);
        return;
      }
      if (code !== 0) {
        reject(new BackupError(`${command} failed: ${firstError(stderr) ?? `exit code ${code}`}`));
        return;
      }
      Promise.all([written, fed]).then(() => resolve(), reject);
    });
  });
}

/**
 * The rows of a PostgreSQL database and its schema, all in one snapshot, gzipped into
 * `payloadFile` as a psql script: the schema before the data, each table's rows as `COPY ... FROM
 * stdin`, then indexes, constraints, triggers and policies. Not `pg_dump` alone: it reads rows
 * with views forbidden (`restrict_nonsystem_relation_kind`), and the owner's rows are behind
 * policies that read views (FORCE ROW LEVEL SECURITY; the owner is a member of rally_app).
 */
async function dumpPostgres(
  url: string,
  payloadFile: string,
  signal?: AbortSignal,
): Promise<Pick<Manifest, 'rows' | 'migrations' | 'owner'>> {
  const work = await mkdtemp(path.join(tmpdir(), 'rally-dump-'));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id'))
      .rows[0]?.id as string;
    const counted = await census(async (text) => (await client.query(text)).rows);
    const owner = (await client.query<{ name: string }>('select current_user as name')).rows[0]
      ?.name as string;
    const parts: string[] = [];
    for (const section of ['pre-data', 'post-data']) {
      const part = path.join(work, section);
      await tool(
        'pg_dump',
        [
          '--format=plain',
          `--section=${section}`,
          '--no-owner',
          `--snapshot=${snapshot}`,
          `--file=${part}`,
          `--dbname=${url}`,
        ],
        undefined,
        undefined,
        signal,
      );
      parts.push(part);
    }
    const data: string[] = [];
    for (const table of Object.keys(counted.rows)) {
      const name = `"${table.replace(/"/g, '""')}"`;
      const part = path.join(work, `data-${data.length}`);
      await writeFile(part, `copy public.${name} from stdin;\n`);
      const rows = path.join(work, `rows-${data.length}`);
      await tool(
        'psql',
        [
          '--no-psqlrc',
          '--quiet',
          '--set=ON_ERROR_STOP=1',
          `--dbname=${url}`,
          '--command=begin isolation level repeatable read read only',
          `--command=set transaction snapshot '${snapshot}'`,
          `--command=copy public.${name} to stdout`,
          '--command=commit',
        ],
        rows,
        undefined,
        signal,
      );
      data.push(part, rows, path.join(work, 'end-of-copy'));
    }
    await writeFile(path.join(work, 'end-of-copy'), '\\.\n');
    await client.query('commit');
    await pipeline(
      async function* () {
        for (const part of [parts[0] as string, ...data, parts[1] as string]) {
          yield* createReadStream(part);
        }
      },
      createGzip(),
      createWriteStream(payloadFile),
    );
    return { ...counted, owner };
  } finally {
    await client.end();
    await rm(work, { recursive: true, force: true });
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How pg_dump writes a role's name: bare when it may, else double-quoted. */
const identifier = (name: string) =>
  /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;

/**
 * Runs the script `dumpPostgres` made in one transaction: all of it, or nothing. Two kinds of
 * statement name the role that owned the schema (migration 0011): each table's `<table>_owner`
 * policy, which lets the owner through its own row-level security, and the owner's default
 * privileges on functions. They are the restoring owner's now, whatever its name.
 */
async function restorePostgres(url: string, payload: () => Readable, owner: string): Promise<void> {
  const role = identifier(owner);
  const policy = new RegExp(
    `^(CREATE POLICY (\\w+)_owner ON public\\.\\2 TO )${escapeRegExp(role)}( USING \\(true\\) WITH CHECK \\(true\\);)$`,
  );
  const defaults = `ALTER DEFAULT PRIVILEGES FOR ROLE ${role} `;
  function adopt(line: string): string {
    if (line.startsWith(defaults)) {
      return `ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER ${line.slice(defaults.length)}`;
    }
    return line.replace(policy, '$1CURRENT_USER$3');
  }
  // gunzip → line by line → psql's standard input: the script is never on disk. psql commits
  // only at the end of its input; a failure before stops it (ON_ERROR_STOP), which rolls back.
  async function* script() {
    let pending = '';
    // Decoded as a stream: a character split between two chunks comes out whole.
    const unzipped = streamPipeline(payload(), createGunzip(), () => {});
    for await (const chunk of unzipped.setEncoding('utf8')) {
      const parts = (pending + (chunk as string)).split('\n');
      pending = parts.pop() ?? '';
      yield parts.map((line) => `${adopt(line)}\n`).join('');
    }
    if (pending) yield adopt(pending);
  }
  await tool(
    'psql',
    [
      '--no-psqlrc',
      '--quiet',
      '--single-transaction',
      '--set=ON_ERROR_STOP=1',
      `--dbname=${url}`,
      '--file=-',
    ],
    undefined,
    script,
  );
}

/** Writes header and payload to `dir` under the backup's name (atomically); returns the path. */
async function writeBackup(dir: string, manifest: Manifest, payloadFile: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const manifestLine = `${JSON.stringify(manifest)}\n`;
  const hash = createHash('sha256').update(manifestLine);
  for await (const chunk of createReadStream(payloadFile)) hash.update(chunk as Buffer);
  const target = path.join(dir, fileName(manifest));
  const partial = `${target}.partial`;
  try {
    const out = createWriteStream(partial);
    out.write(`${MAGIC}\n${hash.digest('hex')}\n${manifestLine}`);
    await pipeline(createReadStream(payloadFile), out);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw diskFull(error, dir);
  }
  return target;
}

/** What `createBackup` may be given besides the configuration. */
export interface BackupOptions {
  /**
   * The database, already open: the running server's. The embedded database can only be opened
   * by the process that holds it, so the server's own backups must go through its connection.
   * Absent: `createBackup` opens the configured one (and closes it again).
   */
  db?: Database;
  /** Ends a PostgreSQL backup's tools (the server stops); the embedded dump is not cut short. */
  signal?: AbortSignal;
}

/**
 * The census and the dump of the embedded database in one turn of its single connection: no
 * other statement runs between them, so the manifest's rows are the payload's. PGlite runs one
 * statement at a time; the server's requests wait meanwhile (docs/deployment.md, Backups).
 */
async function dumpEmbedded(
  db: Database,
  payloadFile: string,
): Promise<Pick<Manifest, 'rows' | 'migrations'>> {
  return db.owner.connection().execute(async (connection) => {
    const counted = await census(connectionRunner(connection));
    const dump = (await db.dumpDataDir()) as Blob;
    await writeFile(payloadFile, Buffer.from(await dump.arrayBuffer()));
    return counted;
  });
}

/** Backs up the configured database into `dir`; returns the file's path. */
export async function createBackup(
  config: Config,
  dir: string,
  { db, signal }: BackupOptions = {},
): Promise<string> {
  signal?.throwIfAborted();
  const work = await mkdtemp(path.join(tmpdir(), 'rally-backup-'));
  try {
    const payloadFile = path.join(work, 'payload');
    const createdAt = new Date().toISOString();
    let kind: Manifest['kind'];
    let payload: Manifest['payload'];
    let counted: Pick<Manifest, 'rows' | 'migrations' | 'owner'>;
    if (config.databaseUrl) {
      kind = 'postgres';
      payload = 'rally-postgres-gz';
      counted = await dumpPostgres(ownerUrl(config), payloadFile, signal);
    } else {
      kind = 'embedded';
      payload = 'pglite-datadir-tgz';
      if (db) {
        counted = await dumpEmbedded(db, payloadFile);
      } else {
        // The data directory's lock keeps a running server out.
        const opened = await openDatabase(config);
        try {
          counted = await dumpEmbedded(opened, payloadFile);
        } finally {
          await opened.close();
        }
      }
    }
    const manifest: Manifest = {
      kind,
      payload,
      createdAt,
      schemaVersion: counted.migrations.at(-1) as string,
      ...counted,
      payloadBytes: (await stat(payloadFile)).size,
    };
    return await writeBackup(dir, manifest, payloadFile);
  } catch (error) {
    // The payload is written to the work directory first: that disk may be the full one.
    throw diskFull(error, tmpdir());
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A backup's header: its manifest, the checksum it claims, and where its payload starts. */
interface Header {
  manifest: Manifest;
  checksum: string;
  /** Where the checksummed part (manifest and payload) starts. */
  checkedStart: number;
  payloadStart: number;
}

/** Reads a backup's header only: what it says it is, before anything has been checked. */
async function readHeader(file: string): Promise<Header> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new BackupError(`No backup file at ${file}.`);
  }
  const handle = await open(file, 'r');
  let header: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    header = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const first = header.indexOf(10);
  const second = first < 0 ? -1 : header.indexOf(10, first + 1);
  const third = second < 0 ? -1 : header.indexOf(10, second + 1);
  if (first < 0 || header.subarray(0, first).toString() !== MAGIC || third < 0) {
    throw new BackupError(`${file} is not a Rally Connect backup (or its header is cut off).`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(header.subarray(second + 1, third).toString()) as Manifest;
  } catch {
    throw new BackupError(`${file} has an unreadable manifest.`);
  }
  return {
    manifest,
    checksum: header.subarray(first + 1, second).toString(),
    checkedStart: second + 1,
    payloadStart: third + 1,
  };
}

/**
 * Reads a backup's header after checking its checksum over the whole file (one pass, nothing
 * kept): what a restore needs before it writes anything. Refuses anything else with a
 * `BackupError` naming the problem.
 */
async function checkBackup(file: string): Promise<Header> {
  const header = await readHeader(file);
  const hash = createHash('sha256');
  let size = header.checkedStart;
  for await (const chunk of createReadStream(file, { start: header.checkedStart })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  if (hash.digest('hex') !== header.checksum) {
    throw new BackupError(
      `${file} fails its checksum: it is truncated or was altered. Use another backup.`,
    );
  }
  const { manifest } = header;
  if (size - header.payloadStart !== manifest.payloadBytes) {
    throw new BackupError(`${file} is not as long as its manifest says.`);
  }
  const unknown = manifest.migrations.filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new BackupError(
      `${file} is from a newer schema (${unknown.join(', ')}) than this version of Rally Connect knows: upgrade Rally Connect, then restore.`,
    );
  }
  return header;
}

/**
 * Reads a backup's manifest after checking its checksum over the whole file. Refuses anything
 * else with a `BackupError` naming the problem.
 */
export async function readBackup(file: string): Promise<Manifest> {
  return (await checkBackup(file)).manifest;
}

/** An embedded backup's payload, read into memory as PGlite's `loadDataDir` takes it. */
async function payloadBlob(file: string, header: Header): Promise<Blob> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for await (const chunk of createReadStream(file, { start: header.payloadStart })) {
    chunks.push(chunk as Uint8Array<ArrayBuffer>);
  }
  return new Blob(chunks);
}

/** The rows of every table of the database `config` names, read as its owner. */
async function countRows(config: Config): Promise<Manifest['rows']> {
  const db = await openDatabase(config);
  try {
    const { rows } = await census(ownerRunner(db));
    return rows;
  } finally {
    await db.close();
  }
}

/** Nothing of ours or anybody's in the target: a restore never mixes data. */
async function assertEmpty(config: Config): Promise<void> {
  if (config.databaseUrl) {
    const client = new pg.Client({ connectionString: ownerUrl(config) });
    await client.connect();
    try {
      if ((await relationsInPublic(async (text) => (await client.query(text)).rows)) > 0) {
        throw new BackupError(
          'The target database is not empty: restore into a new, empty database (docs/deployment.md).',
        );
      }
    } finally {
      await client.end();
    }
    return;
  }
  if (config.dataDir === 'memory://') {
    throw new BackupError('RALLY_DATA_DIR is memory://: restore into a directory.');
  }
  // The session secret the configuration made for a directory without one is not a database.
  const entries = (await readdir(config.dataDir).catch(() => [] as string[])).filter(
    (name) => name !== 'session-secret',
  );
  if (entries.length > 0) {
    throw new BackupError(
      `The target directory ${config.dataDir} is not empty: restore into a new, empty RALLY_DATA_DIR.`,
    );
  }
}

/** The differences between two row censuses, in words; empty when they agree. */
function rowDifferences(expected: Manifest['rows'], found: Manifest['rows']): string[] {
  const tables = new Set([...Object.keys(expected), ...Object.keys(found)]);
  return [...tables]
    .filter((t) => expected[t] !== found[t])
    .map((t) => `${t}: ${expected[t] ?? 'absent'} in the backup, ${found[t] ?? 'absent'} restored`);
}

/**
 * Restores `file` into the configured database, which must be empty, then checks that every
 * table has the rows the manifest lists. Returns the manifest. A PostgreSQL backup restores into
 * PostgreSQL; an embedded one into either (into PostgreSQL: decision 0017).
 */
export async function restoreBackup(config: Config, file: string): Promise<Manifest> {
  // The checksum first, over the whole file: nothing is written before it holds. The payload is
  // then read once more, straight into the target.
  const header = await checkBackup(file);
  const { manifest } = header;
  const target = config.databaseUrl ? 'postgres' : 'embedded';
  if (manifest.kind === 'postgres' && target === 'embedded') {
    throw new BackupError(
      `${file} is a backup of PostgreSQL, and the configured database is embedded (RALLY_DATA_DIR): a PostgreSQL backup restores into PostgreSQL only (set DATABASE_URL and DATABASE_OWNER_URL); an embedded backup restores into either.`,
    );
  }
  await assertEmpty(config);
  if (manifest.kind === 'postgres') {
    await restorePostgres(
      ownerUrl(config),
      () => createReadStream(file, { start: header.payloadStart }),
      manifest.owner ?? '',
    );
  } else if (target === 'postgres') {
    await restoreEmbeddedIntoPostgres(ownerUrl(config), await payloadBlob(file, header), manifest);
  } else {
    const pgdata = path.join(config.dataDir, 'pgdata');
    await mkdir(config.dataDir, { recursive: true });
    const pglite = await PGlite.create(pgdata, { loadDataDir: await payloadBlob(file, header) });
    await pglite.close();
  }
  const differences = rowDifferences(manifest.rows, await countRows(config));
  if (differences.length > 0) {
    throw new BackupError(`Restored, but the rows differ: ${differences.join('; ')}.`);
  }
  return manifest;
}

/**
 * Restores `file` into a scratch database (a new database on the configured PostgreSQL server,
 * or a temporary directory), compares its rows with the manifest, and removes it again. The
 * restore checks the checksum; the header alone says where to restore to.
 */
export async function verifyBackup(config: Config, file: string): Promise<Manifest> {
  const { manifest } = await readHeader(file);
  if (manifest.kind === 'embedded') {
    const scratch = await mkdtemp(path.join(tmpdir(), 'rally-verify-'));
    try {
      return await restoreBackup(
        { ...config, databaseUrl: undefined, databaseOwnerUrl: undefined, dataDir: scratch },
        file,
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  if (!config.databaseUrl) {
    throw new BackupError(
      `${file} is a PostgreSQL backup: set DATABASE_URL (and DATABASE_OWNER_URL) to a server on which to check it.`,
    );
  }
  const name = `rally_verify_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ownerUrl(config) });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`).catch((error: Error) => {
      throw new BackupError(
        `Cannot make a scratch database to check it in (${error.message}): give the owner CREATEDB, or point DATABASE_OWNER_URL at a role or server that may create one.`,
      );
    });
    const scratchUrl = (url: string) => {
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    };
    try {
      return await restoreBackup(
        {
          ...config,
          databaseUrl: scratchUrl(config.databaseUrl),
          databaseOwnerUrl: scratchUrl(ownerUrl(config)),
        },
        file,
      );
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.end();
  }
}
