import { hostname } from 'node:os';
import { stat } from 'node:fs/promises';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { createBackup } from './backup';
import { backupRunsRepository, type BackupRun } from './backup-runs.repository';

/**
 * Daily backups inside the server (issue #13 item 2). In the server rather than in cron: the
 * embedded database can only be opened by the process that holds it, so its backup must run
 * in-process, on the server's own connection; PostgreSQL deployments get the same schedule
 * without another container. Every outcome goes into `backup_runs` (migration 0020), which
 * `/metrics` reads, so all replicas tell the same last success.
 *
 * When: once a day at `BACKUP_AT` (UTC). Each wake-up asks whether a backup has succeeded since
 * the latest `BACKUP_AT` that has passed; if not, one runs. So a night missed because the server
 * was down is made up soon after it starts, and a failure is tried again at the next wake-up,
 * `TICK_MS` later, not in a loop. On PostgreSQL, the run holds a session-level advisory lock on
 * an owner connection: of several replicas waking at once, one backs up, the others find it
 * taken (and, at their next wake-up, the backup done).
 */

/** How the schedule tells and waits for time; tests drive it by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The clock of the machine. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/**
 * A step after a successful backup, given the file (and a signal that aborts when the server
 * stops): upload, retention. A step that throws makes the run a failure, with its reason.
 */
export type AfterBackup = (file: string, signal: AbortSignal) => Promise<void>;

/** The logger's methods the schedule uses (pino's, Fastify's). */
export interface ScheduleLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** What one wake-up did: for the log, and for tests, which wait on it. */
export type TickOutcome =
  | { kind: 'not-due' }
  | { kind: 'elsewhere' }
  | { kind: 'succeeded'; file: string }
  | { kind: 'failed'; error: string };

export interface ScheduleOptions {
  db: Database;
  /** `backup.dir` and `backup.at`, and the database for `createBackup`. */
  config: Config;
  log: ScheduleLog;
  afterBackup: AfterBackup[];
  clock?: Clock;
  /** Told after every wake-up. */
  onTick?: (outcome: TickOutcome) => void;
}

export interface BackupSchedule {
  /**
   * Stops waking up; a running backup is aborted (PostgreSQL's tools end, the steps after it get
   * the signal) and awaited for at most `graceMs`, so that a stopping server is not held up.
   */
  stop(graceMs: number): Promise<void>;
}

/** How often the schedule wakes up at most: a failed backup is tried again this much later. */
export const TICK_MS = 15 * 60 * 1000;
/** The first look after start: soon, but not in the middle of the server's start. */
export const START_DELAY_MS = 60 * 1000;

const DAY_MS = 24 * 3600 * 1000;

/** `HH:MM` as milliseconds after midnight UTC (config.ts has checked the form). */
function timeOfDayMs(at: string): number {
  const [hours, minutes] = at.split(':').map(Number) as [number, number];
  return (hours * 60 + minutes) * 60 * 1000;
}

/** The latest instant at `at` (UTC) that is not after `now`. */
export function lastSlot(now: number, at: string): number {
  const slot = Math.floor(now / DAY_MS) * DAY_MS + timeOfDayMs(at);
  return slot <= now ? slot : slot - DAY_MS;
}

/** The one-line reason of an error, for the log and `backup_runs.error`. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] || 'unknown error';
}

/**
 * Backs up into `dir`, runs the steps after it, and records the outcome in `backup_runs`
 * (the scheduled backups, and `rally backup --to`). A failure is recorded with its one-line
 * reason and returned, not thrown; only the recording itself may throw.
 */
export async function recordedBackup(options: {
  db: Database;
  config: Config;
  dir: string;
  afterBackup: AfterBackup[];
  signal?: AbortSignal;
  clock?: Clock;
}): Promise<{
  outcome: Exclude<TickOutcome, { kind: 'not-due' | 'elsewhere' }>;
  run: BackupRun;
  /** Why the run could not be recorded (the database is down, or older than migration 0020). */
  unrecorded?: string;
}> {
  const { db, config, dir, afterBackup } = options;
  const clock = options.clock ?? systemClock;
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = new Date(clock.now());
  let outcome: Exclude<TickOutcome, { kind: 'not-due' | 'elsewhere' }>;
  let file: string | null = null;
  let bytes: number | null = null;
  try {
    file = await createBackup(config, dir, { db, signal });
    bytes = (await stat(file)).size;
    for (const step of afterBackup) await step(file, signal);
    signal.throwIfAborted();
    outcome = { kind: 'succeeded', file };
  } catch (error) {
    outcome = {
      kind: 'failed',
      error: signal.aborted ? 'stopped: the server shut down during the backup' : reason(error),
    };
  }
  const run: BackupRun = {
    startedAt,
    finishedAt: new Date(clock.now()),
    ok: outcome.kind === 'succeeded',
    file,
    bytes,
    error: outcome.kind === 'failed' ? outcome.error : null,
    host: hostname(),
  };
  try {
    await backupRunsRepository.record(db.system, run);
  } catch (error) {
    return { outcome, run, unrecorded: reason(error) };
  }
  return { outcome, run };
}

/** Starts the schedule; `options.config.backup.dir` must be set. */
export function startBackupSchedule(options: ScheduleOptions): BackupSchedule {
  const { db, config, log, afterBackup } = options;
  const dir = config.backup.dir;
  if (!dir) throw new Error('startBackupSchedule: BACKUP_DIR is not set');
  const clock = options.clock ?? systemClock;
  const stopping = new AbortController();
  const { signal } = stopping;

  async function run(): Promise<TickOutcome> {
    const {
      outcome,
      run: row,
      unrecorded,
    } = await recordedBackup({
      db,
      config,
      dir: dir as string,
      afterBackup,
      signal,
      clock,
    });
    const seconds = (row.finishedAt.getTime() - row.startedAt.getTime()) / 1000;
    if (unrecorded) {
      log.error({ backup: { error: unrecorded } }, `backup outcome not recorded: ${unrecorded}`);
    }
    if (outcome.kind === 'succeeded') {
      log.info({ backup: { file: row.file, bytes: row.bytes, seconds } }, 'backup done');
    } else {
      log.error(
        { backup: { file: row.file, seconds, error: row.error } },
        `backup failed: ${row.error}; tried again in ${TICK_MS / 60_000} minutes`,
      );
    }
    return outcome;
  }

  /** Whether a backup has succeeded since the latest scheduled time. */
  async function done(): Promise<boolean> {
    const last = await backupRunsRepository.lastSuccess(db.system);
    return last !== null && last.getTime() >= lastSlot(clock.now(), config.backup.at);
  }

  async function tick(): Promise<TickOutcome> {
    if (await done()) return { kind: 'not-due' };
    if (db.kind === 'embedded') return run();
    // Session-level, on an owner connection held for the whole run: released by the unlock, or
    // by the server when the connection or the process dies.
    return db.owner.connection().execute(async (connection) => {
      if (!(await backupRunsRepository.tryLock(connection))) return { kind: 'elsewhere' };
      try {
        // Another replica may have finished the backup between the look above and the lock.
        if (await done()) return { kind: 'not-due' };
        return await run();
      } finally {
        await backupRunsRepository.unlock(connection).catch(() => {});
      }
    });
  }

  async function loop(): Promise<void> {
    await clock.sleep(START_DELAY_MS, signal);
    while (!signal.aborted) {
      let outcome: TickOutcome;
      try {
        outcome = await tick();
      } catch (error) {
        // The database did not answer, or the outcome could not be recorded.
        outcome = { kind: 'failed', error: reason(error) };
        if (!signal.aborted) {
          log.error({ backup: { error: outcome.error } }, `backup schedule: ${outcome.error}`);
        }
      }
      if (outcome.kind === 'elsewhere') {
        log.info({}, 'backup: another instance is backing up');
      }
      options.onTick?.(outcome);
      if (signal.aborted) break;
      const now = clock.now();
      const next = lastSlot(now, config.backup.at) + DAY_MS;
      await clock.sleep(Math.min(next - now, TICK_MS), signal);
    }
  }

  const running = loop().catch((error: unknown) =>
    log.error({ backup: { error: reason(error) } }, 'backup schedule stopped by an error'),
  );
  return {
    async stop(graceMs) {
      stopping.abort();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      const ended = await Promise.race([running.then(() => 'ended' as const), late]);
      clearTimeout(timer);
      if (ended === 'late') {
        log.error({ graceMs }, 'backup: still running at shutdown; no longer waited for');
      }
    },
  };
}
