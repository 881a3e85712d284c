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
import { createBackup, restoreBackup } from './backup';
import { census, ownerRunner } from './backup.repository';
import { copyOrder } from './to-postgres';

const SECRET = 'to-postgres-test-session-secret-0123456789abcdef';
const USERS = ['organizer', 'captain', 'player'] as const;
/** Pages whose answers depend on who asks: the row-level-security policies decide them. */
const PAGES = ['/api/me', '/api/leagues', '/api/me/teams', '/api/me/matches'];

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

/** Rows per table and the migrations applied, read as the owner. */
async function censusOf(config: Config) {
  const db = await openDatabase(config);
  try {
    return await census(ownerRunner(db));
  } finally {
    await db.close();
  }
}

/** What row-level security and the grants are, table by table, as the owner reads them. */
async function securityOf(config: Config) {
  const db = await openDatabase(config);
  try {
    const policies = await sql<Record<string, unknown>>`
      select tablename, policyname, cmd, permissive,
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
    const triggers = await sql<Record<string, unknown>>`
      select tgrelid::regclass::text as table_name, tgname, tgenabled from pg_trigger
      where not tgisinternal order by 1, 2`.execute(db.owner);
    return {
      policies: policies.rows,
      grants: grants.rows,
      rls: rls.rows,
      triggers: triggers.rows,
    };
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
  const copy = `${file}.${createHash('sha256').update(rest).digest('hex').slice(0, 8)}`;
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

/** The pages of `PAGES` as `agent` sees them. */
async function pagesOf(agent: Agent): Promise<Record<string, { status: number; body: string }>> {
  const seen: Record<string, { status: number; body: string }> = {};
  for (const page of PAGES) {
    const response = await agent.get(page);
    seen[page] = { status: response.statusCode, body: response.body };
  }
  return seen;
}

describe('the order in which tables are copied', () => {
  it('puts every table after the tables it refers to, and refuses a cycle', () => {
    const order = copyOrder([
      { name: 'results', columns: [], references: ['matches', 'users'] },
      { name: 'matches', columns: [], references: ['teams'] },
      { name: 'teams', columns: [], references: ['users'] },
      { name: 'users', columns: [], references: [] },
    ]).map((t) => t.name);
    expect(order).toEqual(['users', 'teams', 'matches', 'results']);
    expect(() =>
      copyOrder([
        { name: 'a', columns: [], references: ['b'] },
        { name: 'b', columns: [], references: ['a'] },
      ]),
    ).toThrow(/cycle \(a → b → a\)/);
  });
});

/**
 * An embedded installation moves to PostgreSQL as a league grows (decision 0017): its backup
 * restores into an empty PostgreSQL database, and the app works on it.
 */
describe.runIf(TEST_DATABASES.includes('postgres'))(
  'an embedded backup restored into PostgreSQL',
  () => {
    const work = mkdtempSync(path.join(tmpdir(), 'rally-to-postgres-test-'));
    const databases: TestDatabase[] = [];
    let source: Config;
    let file: string;
    const cookies = new Map<string, Map<string, string>>();
    const before = new Map<string, Awaited<ReturnType<typeof pagesOf>>>();

    async function emptyPostgres(): Promise<Config> {
      const database = await createTestDatabase('postgres');
      databases.push(database);
      return configOf(database, path.join(work, 'unused'));
    }

    beforeAll(async () => {
      const embedded = await createTestDatabase('embedded');
      source = configOf(embedded, path.join(work, 'source'), true);
      const app = await buildApp(source);
      try {
        for (const user of [...USERS, null]) {
          const agent = new Agent(app);
          await agent.prime();
          if (user) {
            const signIn = await agent.send('POST', '/api/auth/demo', { user });
            expect(signIn.statusCode).toBe(204);
            cookies.set(user, new Map(agent.cookies));
          }
          before.set(user ?? 'signed out', await pagesOf(agent));
        }
      } finally {
        await app.close();
      }
      file = await createBackup(source, path.join(work, 'backups'));
    }, 180_000);

    afterAll(async () => {
      for (const database of databases.reverse()) await database.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it('restores the rows, the schema as a fresh install has it, and the app works on it', async () => {
      const target = await emptyPostgres();
      const manifest = await restoreBackup(target, file);
      expect(manifest.kind).toBe('embedded');
      const restored = await censusOf(target);
      expect(restored).toEqual(await censusOf(source));
      expect(restored.rows.match_events).toBeGreaterThan(0);

      // Policies, grants, FORCEd row-level security and triggers as our migrations make them on
      // a fresh PostgreSQL database, all owned by the restoring owner.
      const fresh = await emptyPostgres();
      const migrated = await openDatabase(fresh);
      try {
        await migrated.migrate();
      } finally {
        await migrated.close();
      }
      expect(await securityOf(target)).toEqual(await securityOf(fresh));
      expect((await securityOf(target)).triggers.every((t) => t.tgenabled === 'O')).toBe(true);

      const app = await buildApp(target);
      try {
        // Ready: the login role owns nothing and cannot get past row-level security.
        expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
        // Every user, signed out too, sees exactly what they saw before: the policies decide it
        // the same way, and the sessions still hold.
        const agents = new Map<string, Agent>();
        for (const user of [...USERS, null]) {
          const agent = new Agent(app);
          await agent.prime();
          for (const [name, value] of (user && cookies.get(user)) || []) {
            agent.cookies.set(name, value);
          }
          expect(await pagesOf(agent)).toEqual(before.get(user ?? 'signed out'));
          agents.set(user ?? 'signed out', agent);
        }
        const organizer = agents.get('organizer') as Agent;
        const captain = agents.get('captain') as Agent;
        expect(before.get('signed out')?.['/api/me']?.status).toBe(401);

        // A write that takes an id from an identity sequence (match_events): past the copied ids.
        const [match] = (await (agents.get('player') as Agent).get('/api/me/matches')).json();
        expect(
          (await captain.send('POST', `/api/matches/${match.id}/cancel`, { reason: 'Rain' }))
            .statusCode,
        ).toBe(403);
        const cancelled = await organizer.send('POST', `/api/matches/${match.id}/cancel`, {
          reason: 'Courts flooded',
        });
        expect(cancelled.statusCode).toBe(200);
        expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
        const history = await organizer.get(`/api/matches/${match.id}/history`);
        expect(history.statusCode).toBe(200);
        expect(history.body).toContain('Courts flooded');
        const after = await censusOf(target);
        expect(after.rows.match_events).toBe((restored.rows.match_events ?? 0) + 1);
      } finally {
        await app.close();
      }
    }, 180_000);

    it('refuses a target that is not empty, and a failure leaves the target empty', async () => {
      const target = await emptyPostgres();
      // Migrations that cannot make the backup's tables: refused after migrating, in the same
      // transaction, so nothing of it stays.
      const older = withManifest(file, (m) => {
        m.migrations = ['0001_foundation'];
        m.schemaVersion = '0001_foundation';
      });
      await expect(restoreBackup(target, older)).rejects.toThrow(/do not make the backup's tables/);
      const owner = await openDatabase(target);
      try {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_class
          where relnamespace = 'public'::regnamespace`.execute(owner.owner);
        expect(rows[0]?.n).toBe(0);
      } finally {
        await owner.close();
      }

      await restoreBackup(target, file);
      const restored = await censusOf(target);
      await expect(restoreBackup(target, file)).rejects.toThrow(/not empty/);
      expect(await censusOf(target)).toEqual(restored);
    }, 180_000);

    it('refuses a PostgreSQL backup for the embedded database, saying which way works', async () => {
      const postgresKind = withManifest(file, (m) => {
        m.kind = 'postgres';
      });
      const embedded = configOf(await createTestDatabase('embedded'), path.join(work, 'refused'));
      await expect(restoreBackup(embedded, postgresKind)).rejects.toThrow(
        /restores into PostgreSQL only .*an embedded backup restores into either/,
      );
    });
  },
);
