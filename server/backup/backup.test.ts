import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { loadConfig, type Config } from '../config';
import { openDatabase } from '../db/database';
import { Agent } from '../test/app';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { BackupError, createBackup, readBackup, restoreBackup, verifyBackup } from './backup';

const SECRET = 'backup-test-session-secret-0123456789abcdef';

function configOf(database: TestDatabase, dataDir: string, demo = false): Config {
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: SECRET,
      RALLY_DATA_DIR: dataDir,
      DEMO_MODE: String(demo),
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      ...(database.databaseOwnerUrl ? { DATABASE_OWNER_URL: database.databaseOwnerUrl } : {}),
    }),
    webDir: '/nonexistent',
  };
}

/** What a restore must bring back besides the rows: the policies and the grants, as the owner reads them. */
async function securityOf(config: Config) {
  const db = await openDatabase(config);
  try {
    const policies = await sql<Record<string, unknown>>`
      select tablename, policyname, cmd, permissive, qual, with_check,
        array(select case when r = current_user then 'OWNER' else r end
              from unnest(roles::text[]) r order by 1) as roles
      from pg_policies where schemaname = 'public' order by tablename, policyname`.execute(
      db.owner,
    );
    const grants = await sql<Record<string, unknown>>`
      select table_name, grantee, privilege_type from information_schema.role_table_grants
      where table_schema = 'public' and grantee in ('rally_app', 'rally_system')
      order by 1, 2, 3`.execute(db.owner);
    const rls = await sql<Record<string, unknown>>`
      select relname, relrowsecurity, relforcerowsecurity from pg_class
      where relnamespace = 'public'::regnamespace and relkind = 'r' order by relname`.execute(
      db.owner,
    );
    return { policies: policies.rows, grants: grants.rows, rls: rls.rows };
  } finally {
    await db.close();
  }
}

/** A copy of `file` with its manifest changed by `edit`, checksummed again as a real one. */
function withManifest(file: string, edit: (m: Record<string, unknown>) => void): string {
  const bytes = readFileSync(file);
  const first = bytes.indexOf(10);
  const second = bytes.indexOf(10, first + 1);
  const third = bytes.indexOf(10, second + 1);
  const manifest = JSON.parse(bytes.subarray(second + 1, third).toString()) as Record<
    string,
    unknown
  >;
  edit(manifest);
  const rest = Buffer.concat([
    Buffer.from(`${JSON.stringify(manifest)}\n`),
    bytes.subarray(third + 1),
  ]);
  const copy = `${file}.edited`;
  writeFileSync(
    copy,
    Buffer.concat([
      bytes.subarray(0, first + 1),
      Buffer.from(`${createHash('sha256').update(rest).digest('hex')}\n`),
      rest,
    ]),
  );
  return copy;
}

describe.each(TEST_DATABASES)('backup and restore on %s', (kind) => {
  const work = mkdtempSync(path.join(tmpdir(), 'rally-backup-test-'));
  const databases: TestDatabase[] = [];
  let source: Config;
  let file: string;
  let cookies: Map<string, string>;
  let leagues: string;

  async function emptyTarget(name: string): Promise<Config> {
    const database = await createTestDatabase(kind);
    databases.push(database);
    return configOf(database, path.join(work, name));
  }

  beforeAll(async () => {
    const database = await createTestDatabase(kind);
    databases.push(database);
    source = configOf(database, path.join(work, 'source'), true);
    // Demo data, and a signed-in session that must still hold after the restore.
    const app = await buildApp(source);
    try {
      const agent = new Agent(app);
      await agent.prime();
      expect((await agent.send('POST', '/api/auth/demo', { user: 'organizer' })).statusCode).toBe(
        204,
      );
      expect((await agent.get('/api/me')).statusCode).toBe(200);
      cookies = agent.cookies;
      leagues = (await agent.get('/api/leagues')).body;
    } finally {
      await app.close();
    }
    file = await createBackup(source, path.join(work, 'backups'));
  }, 180_000);

  afterAll(async () => {
    for (const database of databases.reverse()) await database.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('names the file by kind, time and schema version, and lists every table in it', async () => {
    expect(path.basename(file)).toMatch(
      new RegExp(`^rally-${kind}-\\d{8}T\\d{6}Z-\\d{4}_\\w+\\.rally-backup$`),
    );
    const manifest = await readBackup(file);
    expect(manifest.kind).toBe(kind);
    expect(manifest.schemaVersion).toBe(manifest.migrations.at(-1));
    expect(manifest.rows.teams).toBeGreaterThan(0);
    expect(manifest.rows.sessions).toBeGreaterThan(0);
  });

  it('restores into an empty database: same rows, policies and grants, sessions still valid', async () => {
    const target = await emptyTarget('restored');
    const manifest = await restoreBackup(target, file);
    expect(manifest.kind).toBe(kind);
    expect(await securityOf(target)).toEqual(await securityOf(source));

    const app = await buildApp(target);
    try {
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      const agent = new Agent(app);
      for (const [name, value] of cookies) agent.cookies.set(name, value);
      const me = await agent.get('/api/me');
      expect(me.statusCode).toBe(200);
      expect((await agent.get('/api/leagues')).body).toBe(leagues);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('checks a backup by restoring it into a scratch database', async () => {
    // The test owner may not create databases: a role that may does the checking, as an
    // operator would point DATABASE_OWNER_URL at one.
    const checker =
      kind === 'postgres'
        ? {
            ...source,
            databaseUrl: process.env.TEST_DATABASE_URL,
            databaseOwnerUrl: process.env.TEST_DATABASE_URL,
          }
        : source;
    const manifest = await verifyBackup(checker, file);
    expect(manifest.rows).toEqual((await readBackup(file)).rows);
  }, 180_000);

  it('refuses a truncated or altered file, a newer schema and a database that is not empty, touching nothing', async () => {
    const bytes = readFileSync(file);
    const truncated = `${file}.truncated`;
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    const altered = `${file}.altered`;
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 50] = (flipped[flipped.length - 50] ?? 0) ^ 0xff;
    writeFileSync(altered, flipped);
    const newer = withManifest(file, (m) => {
      m.migrations = [...(m.migrations as string[]), '9999_from_the_future'];
    });

    const target = await emptyTarget('refused');
    await expect(restoreBackup(target, truncated)).rejects.toThrow(/fails its checksum/);
    await expect(restoreBackup(target, altered)).rejects.toThrow(/fails its checksum/);
    await expect(restoreBackup(target, newer)).rejects.toThrow(
      /newer schema \(9999_from_the_future\)/,
    );
    await expect(restoreBackup(target, path.join(work, 'missing'))).rejects.toThrow(
      /No backup file/,
    );
    await expect(restoreBackup(target, import.meta.filename)).rejects.toBeInstanceOf(BackupError);
    // Still empty: the refused files left nothing behind, and the good one goes in.
    await restoreBackup(target, file);
    await expect(restoreBackup(target, file)).rejects.toThrow(/not empty/);
  }, 180_000);
});
