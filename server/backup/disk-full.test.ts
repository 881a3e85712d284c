import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../cli/seed';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { census, ownerRunner } from './backup.repository';

/**
 * `rally backup` onto a disk that is really full: a 64 KiB tmpfs, mounted in a mount namespace
 * of the child alone (`unshare --map-root-user --mount`), so nothing outside it sees the mount
 * and no privilege is needed beyond user namespaces. The backup is a few megabytes, so the
 * kernel answers its writes with ENOSPC, as a full disk would.
 */
const SECRET = 'disk-full-test-session-secret-0123456789abcdef';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What was on the full disk afterwards, listed from inside the namespace. */
  left: string[];
}

/** `rally backup --to <target>` with a full tmpfs at `mount`. */
function backupOntoFullDisk(
  mount: string,
  target: string,
  env: Record<string, string>,
): Promise<Run> {
  const script = [
    'mount -t tmpfs -o size=64k rally-full "$0" || exit 97',
    'node --import tsx server/cli/rally.ts backup --to "$1"',
    'code=$?',
    'echo "LEFT:$(cd "$0" && find . -mindepth 1 | sort | tr "\\n" " ")" >&2',
    'exit $code',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(
      'unshare',
      ['--map-root-user', '--mount', 'sh', '-c', script, mount, target],
      {
        env: {
          PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
          HOME: process.env.HOME ?? '',
          // tsx would cache its output in TMPDIR, which may be the full disk here.
          TSX_DISABLE_CACHE: '1',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('LEFT:')) ?? '';
      resolve({
        code,
        stdout,
        stderr: stderr.replace(/^LEFT:.*\n?/m, ''),
        left: line.slice('LEFT:'.length).split(' ').filter(Boolean),
      });
    });
  });
}

describe.each(TEST_DATABASES)('rally backup onto a full disk, %s', (kind) => {
  const work = mkdtempSync(path.join(tmpdir(), 'rally-disk-full-'));
  let database: TestDatabase;
  let env: Record<string, string>;
  let before: Awaited<ReturnType<typeof census>>;

  async function rows() {
    const db = await openDatabase(loadConfig(env));
    try {
      // The failed run itself is recorded (backup_runs); every other table is as it was.
      const counted = await census(ownerRunner(db));
      delete counted.rows.backup_runs;
      return counted;
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: SECRET,
      RALLY_DATA_DIR: path.join(work, 'source'),
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      ...(database.databaseOwnerUrl ? { DATABASE_OWNER_URL: database.databaseOwnerUrl } : {}),
    };
    const db = await openDatabase(loadConfig(env));
    try {
      await db.migrate();
      await seedDemo(db);
    } finally {
      await db.close();
    }
    before = await rows();
  }, 300_000);

  afterAll(async () => {
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('a full target: exit 1, "the disk holding <dir> is full", no .partial left, the database as it was', async () => {
    const mount = path.join(work, 'full-target');
    mkdirSync(mount);
    const target = path.join(mount, 'backups');
    const run = await backupOntoFullDisk(mount, target, env);
    expect(run.stderr).toContain(
      `rally: Cannot write the backup: the disk holding ${target} is full (ENOSPC).`,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.left).toEqual(['./backups']);
    expect(await rows()).toEqual(before);
  }, 120_000);

  it('a full work directory (TMPDIR): exit 1, naming it, nothing left in it or in the target', async () => {
    const mount = path.join(work, 'full-tmp');
    mkdirSync(mount);
    const target = path.join(work, 'target');
    const run = await backupOntoFullDisk(mount, target, { ...env, TMPDIR: mount });
    expect(run.stderr).toContain(
      `rally: Cannot write the backup: the disk holding ${mount} is full (ENOSPC).`,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.left).toEqual([]);
    // The target is made only when the payload is ready to be written there.
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    expect(await rows()).toEqual(before);
  }, 120_000);
});
