import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupCommand } from '../cli/backup-commands';
import { buildApp } from '../app';
import { loadConfig, type Config } from '../config';
import { openDatabase, type Database } from '../db/database';
import { purgeExpired } from '../db/housekeeping';
import { Agent, startTestApp, type TestApp } from '../test/app';
import { TestClock } from '../test/clock';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { restoreBackup } from './backup';
import { backupRunsRepository } from './backup-runs.repository';
import {
  START_DELAY_MS,
  TICK_MS,
  recordedBackup,
  startBackupSchedule,
  type AfterBackup,
  type BackupSchedule,
  type ScheduleLog,
  type TickOutcome,
} from './schedule';

const at = (iso: string) => new Date(iso).getTime();

/** A logger that keeps its lines, as the test reads them. */
function keptLog(): ScheduleLog & { lines: { level: string; details: object; message: string }[] } {
  const lines: { level: string; details: object; message: string }[] = [];
  return {
    lines,
    info: (details, message) => lines.push({ level: 'info', details, message }),
    error: (details, message) => lines.push({ level: 'error', details, message }),
  };
}

/** The sample of a metric without labels in `/metrics`' text, or undefined when it is absent. */
function sample(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

describe.each(TEST_DATABASES)('scheduled backups on %s', (kind) => {
  const work = mkdtempSync(path.join(tmpdir(), 'rally-schedule-test-'));
  let t: TestApp;
  let db: Database;
  const schedules: BackupSchedule[] = [];
  const databases: TestDatabase[] = [];
  let dirs = 0;

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
    db = t.app.db;
  }, 120_000);
  afterAll(async () => {
    for (const schedule of schedules) await schedule.stop(5000);
    await t?.close();
    for (const database of databases) await database.drop();
    rmSync(work, { recursive: true, force: true });
  });

  /** A new, empty backup directory and the configuration that backs up into it at 03:00. */
  function configInto(): Config {
    const dir = path.join(work, `backups-${++dirs}`);
    return { ...t.config, backup: { ...t.config.backup, dir, at: '03:00' } };
  }

  async function runs() {
    return db.owner.selectFrom('backupRuns').selectAll().orderBy('finishedAt').execute();
  }

  async function metrics() {
    return (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  }

  /** Starts a schedule on `clock`, its wake-ups' outcomes in the list returned. */
  function start(config: Config, clock: TestClock, afterBackup: AfterBackup[] = [], on = db) {
    const outcomes: TickOutcome[] = [];
    const log = keptLog();
    const schedule = startBackupSchedule({
      db: on,
      config,
      log,
      afterBackup,
      clock,
      onTick: (o) => outcomes.push(o),
    });
    schedules.push(schedule);
    return { outcomes, log, schedule };
  }

  /** Forgets every run: each test starts from a known history. */
  async function history(...finished: string[]) {
    await db.owner.deleteFrom('backupRuns').execute();
    for (const iso of finished) {
      await backupRunsRepository.record(db.system, {
        startedAt: new Date(at(iso) - 5000),
        finishedAt: new Date(iso),
        ok: true,
        file: '/elsewhere/earlier.rally-backup',
        bytes: 1,
        error: null,
        host: 'earlier',
      });
    }
  }

  it('without any backup, /metrics tells that none has run, and that this instance does not schedule', async () => {
    await history();
    const text = await metrics();
    expect(text).toContain('# TYPE rally_backup_last_success_timestamp_seconds gauge');
    expect(sample(text, 'rally_backup_last_success_timestamp_seconds')).toBeUndefined();
    expect(sample(text, 'rally_backup_last_run_ok')).toBeUndefined();
    expect(sample(text, 'rally_backup_duration_seconds')).toBeUndefined();
    expect(sample(text, 'rally_backup_scheduled')).toBe(0);
  });

  it('backs up once at BACKUP_AT, and then not before the same time the next day', async () => {
    await history('2030-01-09T03:00:05Z');
    const config = configInto();
    const clock = new TestClock(at('2030-01-10T01:00:00Z'));
    const { outcomes, log, schedule } = start(config, clock);

    await clock.runUntil(at('2030-01-10T02:59:59Z'));
    expect(outcomes.length).toBeGreaterThan(3);
    expect(outcomes.every((o) => o.kind === 'not-due')).toBe(true);
    expect(await runs()).toHaveLength(1);

    await clock.runUntil(at('2030-01-10T03:00:00Z'));
    expect(outcomes.at(-1)).toMatchObject({ kind: 'succeeded' });
    const after = await runs();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ ok: true, error: null });
    expect(after[1]?.finishedAt.toISOString()).toBe('2030-01-10T03:00:00.000Z');
    expect(readdirSync(config.backup.dir as string)).toEqual([
      path.basename(String(after[1]?.file)),
    ]);
    expect(Number(after[1]?.bytes)).toBeGreaterThan(1000);
    expect(log.lines.at(-1)).toMatchObject({ level: 'info', message: 'backup done' });

    const text = await metrics();
    expect(sample(text, 'rally_backup_last_success_timestamp_seconds')).toBe(
      at('2030-01-10T03:00:00Z') / 1000,
    );
    expect(sample(text, 'rally_backup_last_run_ok')).toBe(1);
    expect(sample(text, 'rally_backup_duration_seconds')).toBe(0);

    await clock.runUntil(at('2030-01-11T02:59:59Z'));
    expect(await runs()).toHaveLength(2);
    await schedule.stop(5000);
  }, 60_000);

  it('makes up a night missed while the server was down soon after it starts', async () => {
    await history('2030-01-08T03:00:05Z');
    const config = configInto();
    const clock = new TestClock(at('2030-01-10T10:00:00Z'));
    const { outcomes, schedule } = start(config, clock);

    await clock.runUntil(at('2030-01-10T10:00:00Z') + START_DELAY_MS - 1);
    expect(outcomes).toEqual([]);
    await clock.runUntil(at('2030-01-10T10:00:00Z') + START_DELAY_MS);
    expect(outcomes).toEqual([{ kind: 'succeeded', file: expect.any(String) }]);
    // Once: the next is the next night's.
    await clock.runUntil(at('2030-01-11T02:59:59Z'));
    expect(outcomes.filter((o) => o.kind !== 'not-due')).toHaveLength(1);
    await schedule.stop(5000);
  }, 60_000);

  it('records a failure with its reason, leaves the last success as it was, and tries again at the next wake-up', async () => {
    await history('2030-01-09T03:00:05Z');
    const before = await metrics();
    const config = configInto();
    const clock = new TestClock(at('2030-01-10T02:58:00Z'));
    let refusals = 1;
    const upload: AfterBackup = async () => {
      if (refusals-- > 0) throw new Error('upload refused: no bucket rally-backups\nat line 2');
    };
    const { outcomes, log, schedule } = start(config, clock, [upload]);

    await clock.runUntil(at('2030-01-10T03:00:00Z'));
    expect(outcomes.at(-1)).toEqual({
      kind: 'failed',
      error: 'upload refused: no bucket rally-backups',
    });
    const failed = (await runs()).at(-1);
    expect(failed).toMatchObject({ ok: false, error: 'upload refused: no bucket rally-backups' });
    expect(log.lines.at(-1)).toMatchObject({
      level: 'error',
      details: { backup: { error: 'upload refused: no bucket rally-backups' } },
      message: expect.stringContaining('tried again in 15 minutes'),
    });
    const text = await metrics();
    expect(sample(text, 'rally_backup_last_success_timestamp_seconds')).toBe(
      sample(before, 'rally_backup_last_success_timestamp_seconds'),
    );
    expect(sample(text, 'rally_backup_last_success_timestamp_seconds')).toBe(
      at('2030-01-09T03:00:05Z') / 1000,
    );
    expect(sample(text, 'rally_backup_last_run_ok')).toBe(0);

    // Not in a loop: nothing more until the next wake-up, which succeeds.
    await clock.runUntil(at('2030-01-10T03:00:00Z') + TICK_MS - 1);
    expect(await runs()).toHaveLength(2);
    await clock.runUntil(at('2030-01-10T03:00:00Z') + TICK_MS);
    expect(outcomes.at(-1)).toMatchObject({ kind: 'succeeded' });
    expect(sample(await metrics(), 'rally_backup_last_run_ok')).toBe(1);
    await schedule.stop(5000);
  }, 60_000);

  it('backs up the live database in-process: the backup restores with the same rows, while requests write meanwhile', async () => {
    await history();
    const config = configInto();
    // Sign-ins write sessions while the backup runs: the census and the dump must agree anyway.
    const signIns = Array.from({ length: 6 }, async () => {
      const agent = new Agent(t.app);
      await agent.prime();
      return (await agent.send('POST', '/api/auth/demo', { user: 'organizer' })).statusCode;
    });
    const [{ outcome }, ...codes] = await Promise.all([
      recordedBackup({ db, config, dir: config.backup.dir as string, afterBackup: [] }),
      ...signIns,
    ]);
    expect(codes).toEqual(codes.map(() => 204));
    expect(outcome.kind).toBe('succeeded');
    const file = (outcome as { file: string }).file;

    const target = await createTestDatabase(kind);
    databases.push(target);
    const targetConfig: Config = {
      ...loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SESSION_SECRET: 'schedule-test-session-secret-0123456789abcdef',
        RALLY_DATA_DIR: path.join(work, 'restored'),
        ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
        ...(target.databaseOwnerUrl ? { DATABASE_OWNER_URL: target.databaseOwnerUrl } : {}),
      }),
      webDir: '/nonexistent',
    };
    const manifest = await restoreBackup(targetConfig, file);
    expect(manifest.kind).toBe(kind);
    expect(manifest.rows.leagues).toBeGreaterThan(0);
    expect(manifest.rows.sessions).toBeGreaterThan(0);
    // The restored database has what the live one had when the backup was taken.
    const restored = await openDatabase(targetConfig);
    try {
      const count = async (on: Database, table: 'leagues' | 'matches' | 'users') =>
        Number(
          (
            await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
              on.owner,
            )
          ).rows[0]?.n,
        );
      for (const table of ['leagues', 'matches', 'users'] as const) {
        expect(await count(restored, table), table).toBe(await count(db, table));
        expect(manifest.rows[table], table).toBe(await count(db, table));
      }
    } finally {
      await restored.close();
    }
  }, 180_000);

  // Embedded PGlite has one process by construction (the data directory's lock).
  if (kind === 'postgres')
    it('two replicas waking at the same time on one database: one backs up, the other finds the lock taken', async () => {
      await history('2030-01-09T03:00:05Z');
      const replica = await openDatabase({
        databaseUrl: t.config.databaseUrl,
        databaseOwnerUrl: t.config.databaseOwnerUrl,
        dataDir: 'memory://',
      });
      try {
        const first = configInto();
        const second = configInto();
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const held: AfterBackup = async () => {
          entered();
          await gate;
        };
        const clockA = new TestClock(at('2030-01-10T02:58:00Z'));
        const clockB = new TestClock(at('2030-01-10T02:58:00Z'));
        const a = start(first, clockA, [held]);
        const b = start(second, clockB, [], replica);

        await clockA.runUntil(at('2030-01-10T02:59:59Z'));
        await clockB.runUntil(at('2030-01-10T02:59:59Z'));
        // A wakes at 03:00 and holds the lock (it waits in the step after its backup) ...
        await clockA.asleep();
        clockA.advanceTo(at('2030-01-10T03:00:00Z'));
        await inside;
        // ... while B wakes at 03:00 too.
        await clockB.runUntil(at('2030-01-10T03:00:00Z'));
        expect(b.outcomes.at(-1)).toEqual({ kind: 'elsewhere' });
        expect(existsSync(second.backup.dir as string)).toBe(false);
        release();
        await clockA.asleep();
        expect(a.outcomes.at(-1)).toMatchObject({ kind: 'succeeded' });
        // B's next wake-up finds the night's backup done.
        await clockB.runUntil(at('2030-01-10T03:00:00Z') + TICK_MS);
        expect(b.outcomes.at(-1)).toEqual({ kind: 'not-due' });
        expect(
          (await runs()).filter((r) => r.finishedAt >= new Date('2030-01-10T03:00:00Z')),
        ).toHaveLength(1);
        await a.schedule.stop(5000);
        await b.schedule.stop(5000);
      } finally {
        await replica.close();
      }
    }, 60_000);

  it('housekeeping deletes runs older than 400 days', async () => {
    await history('2028-11-01T03:00:00Z', '2028-12-01T03:00:00Z');
    await purgeExpired(db, new Date('2030-01-01T00:00:00Z'));
    expect((await runs()).map((r) => r.finishedAt.toISOString())).toEqual([
      '2028-12-01T03:00:00.000Z',
    ]);
  });
});

describe.each(TEST_DATABASES)('stopping the server during a scheduled backup on %s', (kind) => {
  it('closes promptly: the running backup is told to stop, and the stop recorded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rally-schedule-stop-'));
    const clock = new TestClock(at('2030-01-10T10:00:00Z'));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    // A slow upload that stops when told to, as a real one given the signal does.
    const upload: AfterBackup = (_file, signal) =>
      new Promise((_, reject) => {
        entered();
        signal.addEventListener('abort', () => reject(new Error('upload aborted')), {
          once: true,
        });
      });
    const lines: string[] = [];
    const t = await startTestApp(kind, {
      env: { BACKUP_DIR: dir, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '10000' },
      build: {
        backup: { clock, afterBackup: [upload] },
        logStream: { write: (l) => lines.push(l) },
      },
    });
    try {
      await t.app.ready();
      expect(
        sample(
          (await t.app.inject({ method: 'GET', url: '/metrics' })).body,
          'rally_backup_scheduled',
        ),
      ).toBe(1);
      // A new database has no backup: the first look after start backs up.
      await clock.asleep();
      clock.advanceTo(at('2030-01-10T10:00:00Z') + START_DELAY_MS);
      await inside;
      const started = performance.now();
      await t.close();
      expect(performance.now() - started).toBeLessThan(5000);
      const failure = lines
        .map((l) => JSON.parse(l) as { msg: string })
        .find((l) => l.msg.startsWith('backup failed'));
      expect(failure?.msg).toContain('stopped: the server shut down during the backup');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.each(TEST_DATABASES)('rally backup --to on %s', (kind) => {
  it('records its runs in backup_runs too: a success with its file, a failure with its reason', async () => {
    const database = await createTestDatabase(kind);
    const work = mkdtempSync(path.join(tmpdir(), 'rally-backup-cli-'));
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'schedule-test-session-secret-0123456789abcdef',
      RALLY_DATA_DIR: path.join(work, 'data'),
      DEMO_MODE: 'false',
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      ...(database.databaseOwnerUrl ? { DATABASE_OWNER_URL: database.databaseOwnerUrl } : {}),
    };
    const config = loadConfig(env);
    const migrated = await openDatabase(config);
    await migrated.migrate();
    await migrated.close();
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const printed: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const notADirectory = path.join(work, 'not-a-directory');
    writeFileSync(notADirectory, '');
    let codes: number[];
    try {
      codes = [
        await backupCommand('backup', ['--to', path.join(work, 'backups')], 'usage'),
        await backupCommand('backup', ['--to', notADirectory], 'usage'),
      ];
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      vi.unstubAllEnvs();
    }
    const db = await openDatabase(config);
    try {
      expect(codes, printed.join('')).toEqual([0, 1]);
      const rows = await db.owner
        .selectFrom('backupRuns')
        .selectAll()
        .orderBy('finishedAt')
        .execute();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ ok: true, error: null });
      expect(printed).toContain(`${rows[0]?.file}\n`);
      expect(rows[1]).toMatchObject({ ok: false, file: null });
      expect(rows[1]?.error).toMatch(/^E(EXIST|NOTDIR): .*not-a-directory/);
      expect(printed).toContain(`rally: ${rows[1]?.error}\n`);
    } finally {
      await db.close();
      await database.drop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});

// PostgreSQL's backup runs pg_dump and psql: a stop must end them, not wait for them.
if (process.env.TEST_DATABASE_URL) {
  describe('stopping the server while pg_dump runs (postgres)', () => {
    it('ends the tools at once and records the stop', async () => {
      const database = await createTestDatabase('postgres');
      const dir = mkdtempSync(path.join(tmpdir(), 'rally-schedule-pg-stop-'));
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const name = new URL(database.databaseUrl as string).pathname.slice(1);
      const tools = async () =>
        (
          await admin.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
             where datname = $1 and application_name in ('pg_dump', 'psql')`,
            [name],
          )
        ).rows[0]?.n ?? 0;
      try {
        const config = loadConfig({
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          SESSION_SECRET: 'schedule-test-session-secret-0123456789abcdef',
          RALLY_DATA_DIR: dir,
          DEMO_MODE: 'false',
          DATABASE_URL: database.databaseUrl as string,
          DATABASE_OWNER_URL: database.databaseOwnerUrl as string,
          BACKUP_DIR: path.join(dir, 'backups'),
        });
        const clock = new TestClock(at('2030-01-10T10:00:00Z'));
        const app = await buildApp({ ...config, webDir: '/nonexistent' }, { backup: { clock } });
        await app.ready();
        await clock.asleep();
        clock.advanceTo(at('2030-01-10T10:00:00Z') + START_DELAY_MS);
        // The state to wait on: one of the backup's tools connected to the database.
        while ((await tools()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        const started = performance.now();
        await app.close();
        expect(performance.now() - started).toBeLessThan(5000);
        // The server's side of a killed tool's connection goes a moment after the tool.
        await expect.poll(tools, { timeout: 3000, interval: 20 }).toBe(0);
        const db = await openDatabase(config);
        try {
          const rows = await db.owner.selectFrom('backupRuns').selectAll().execute();
          expect(rows).toMatchObject([
            { ok: false, error: 'stopped: the server shut down during the backup' },
          ]);
          // No file, not even a partial one: the backup's directory is made only to write it.
          expect(existsSync(config.backup.dir as string)).toBe(false);
        } finally {
          await db.close();
        }
      } finally {
        await admin.end();
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
}
