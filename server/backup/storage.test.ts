import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config';
import { openDatabase } from '../db/database';
import { seedDemo } from '../cli/seed';
import { BackupError, createBackup } from './backup';
import { pruneBackups, storeBackup } from './storage';

/**
 * Backups against a real S3-protocol server: s3rver (@20minutes/s3rver), an HTTP implementation
 * of S3 that keeps objects in a directory, in this process. AWS itself is outside the test.
 *
 * s3rver computes the signature of bucket-level requests (listing) over `/bucket`, where the AWS
 * SDK v3 signs `/bucket/`, so the main server runs with `allowMismatchedSignatures`: it still
 * refuses an access key it does not know, but not a wrong secret. A second, strict server checks
 * the wrong secret on uploads, which are object-level requests.
 */
const BUCKET = 'rally-backups';
const ACCESS_KEY = 'S3RVER';
const SECRET = 'storage-test-session-secret-0123456789abcdef';

const work = mkdtempSync(path.join(tmpdir(), 'rally-storage-test-'));
const dataDir = path.join(work, 'source');
let server: S3rver;
let endpoint: string;
/** Requests the S3 server received, `METHOD /path?query`. */
const requests: string[] = [];
let backupFile: string;

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: SECRET,
    RALLY_DATA_DIR: dataDir,
    BACKUP_S3_BUCKET: BUCKET,
    BACKUP_S3_ENDPOINT: endpoint,
    BACKUP_S3_ACCESS_KEY_ID: ACCESS_KEY,
    BACKUP_S3_SECRET_ACCESS_KEY: ACCESS_KEY,
    ...overrides,
  };
}
const configOf = (overrides: Record<string, string> = {}): Config => loadConfig(env(overrides));

/** A client of our own, to look at the bucket as the operator would. */
function client(): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function listKeys(prefix: string): Promise<{ key: string; size: number }[]> {
  const s3 = client();
  try {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (page.Contents ?? []).map((o) => ({ key: o.Key as string, size: o.Size as number }));
  } finally {
    s3.destroy();
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** `rally <args>` in a child process with `env`: its exit code and output. */
function rally(
  args: string[],
  childEnv: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/rally.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...childEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(work, 's3'),
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  server.httpServer.prependListener('request', (req: { method?: string; url?: string }) => {
    requests.push(`${req.method} ${req.url}`);
  });
  // A real backup of a migrated embedded database with the demo data in it.
  const config = configOf();
  const db = await openDatabase(config);
  try {
    await db.migrate();
    await seedDemo(db);
  } finally {
    await db.close();
  }
  backupFile = await createBackup(config, path.join(work, 'backups'));
}, 300_000);

afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('storeBackup', () => {
  it('without a bucket, nothing is uploaded', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      SESSION_SECRET: SECRET,
      RALLY_DATA_DIR: dataDir,
    });
    expect(config.backup.s3).toBeUndefined();
    expect(await storeBackup(config, backupFile)).toEqual({});
  });

  it('uploads a backup under the prefix, with its size and its sha-256 as metadata', async () => {
    const { uploaded } = await storeBackup(
      configOf({ BACKUP_S3_PREFIX: '/prod/rally/' }),
      backupFile,
    );
    const key = `prod/rally/${path.basename(backupFile)}`;
    expect(uploaded).toBe(`s3://${BUCKET}/${key}`);
    const bytes = readFileSync(backupFile);
    expect(await listKeys('prod/')).toEqual([{ key, size: bytes.length }]);
    const s3 = client();
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(head.Metadata?.sha256).toBe(sha256(bytes));
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      ).Body?.transformToByteArray();
      expect(sha256(Buffer.from(body as Uint8Array))).toBe(sha256(bytes));
    } finally {
      s3.destroy();
    }
  });

  it('uploads a file larger than a part in several parts, and checks what arrived', async () => {
    const dir = path.join(work, 'large');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'rally-embedded-20261201T030000Z-0019_x.rally-backup');
    // 16 MiB parts: 20 MiB of bytes that do not compress make two.
    const bytes = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
    writeFileSync(file, bytes);
    const before = requests.length;
    const { uploaded } = await storeBackup(configOf({ BACKUP_S3_PREFIX: 'large' }), file);
    expect(uploaded).toBe(`s3://${BUCKET}/large/${path.basename(file)}`);
    const made = requests.slice(before);
    expect(made.filter((r) => /^POST .*\?uploads/.test(r))).toHaveLength(1);
    expect(made.filter((r) => /^PUT .*partNumber=/.test(r))).toHaveLength(2);
    expect(await listKeys('large/')).toEqual([
      { key: `large/${path.basename(file)}`, size: bytes.length },
    ]);
  });

  it('an endpoint that refuses connections is a BackupError naming bucket, endpoint and reason', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const error = await storeBackup(configOf({ BACKUP_S3_ENDPOINT: dead }), backupFile).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackupError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Cannot upload .* to bucket ${BUCKET} at ${dead}: connection refused`),
    );
  });

  it('an access key the service does not know is a BackupError saying so', async () => {
    const error = await storeBackup(
      configOf({ BACKUP_S3_ACCESS_KEY_ID: 'NOBODY' }),
      backupFile,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as Error).message).toContain(
      `bucket ${BUCKET} at ${endpoint}: the access key is not known there (check BACKUP_S3_ACCESS_KEY_ID)`,
    );
  });

  it('a wrong secret is a BackupError saying so, where the server checks signatures', async () => {
    // Uploads and reads are object-level requests, whose signatures s3rver checks right.
    const strict = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: path.join(work, 's3-strict'),
      configureBuckets: [{ name: BUCKET }],
    });
    const at = `http://127.0.0.1:${(await strict.run()).port}`;
    try {
      const error = await storeBackup(
        configOf({ BACKUP_S3_ENDPOINT: at, BACKUP_S3_SECRET_ACCESS_KEY: 'not-the-secret' }),
        backupFile,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupError);
      expect((error as Error).message).toContain(
        `bucket ${BUCKET} at ${at}: the secret key is wrong (check BACKUP_S3_SECRET_ACCESS_KEY and BACKUP_S3_REGION)`,
      );
      // The right secret, on the same server, goes through.
      expect(await storeBackup(configOf({ BACKUP_S3_ENDPOINT: at }), backupFile)).toEqual({
        uploaded: `s3://${BUCKET}/${path.basename(backupFile)}`,
      });
    } finally {
      await strict.close();
    }
  });

  it('a bucket that does not exist is a BackupError saying so', async () => {
    const error = await storeBackup(
      configOf({ BACKUP_S3_BUCKET: 'no-such-bucket' }),
      backupFile,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as Error).message).toContain(
      `bucket no-such-bucket at ${endpoint}: no such bucket`,
    );
  });
});

describe('pruneBackups', () => {
  const names = [
    'rally-embedded-20261204T030000Z-0019_x.rally-backup', // newest: kept (daily)
    'rally-embedded-20261203T030000Z-0019_x.rally-backup', // kept (daily)
    'rally-embedded-20261202T030000Z-0019_x.rally-backup', // removed
    'rally-embedded-20261130T030000Z-0019_x.rally-backup', // kept (monthly: November)
    'rally-embedded-20261101T030000Z-0019_x.rally-backup', // removed
    'notes.txt', // not a backup: kept
  ];
  const config = () =>
    configOf({
      BACKUP_S3_PREFIX: 'pruned',
      BACKUP_KEEP_DAILY: '2',
      BACKUP_KEEP_WEEKLY: '0',
      BACKUP_KEEP_MONTHLY: '2',
    });
  const now = new Date('2026-12-04T12:00:00Z');

  it('removes what retention does not keep, from the directory and from the bucket', async () => {
    const dir = path.join(work, 'pruned');
    mkdirSync(dir, { recursive: true });
    const s3 = client();
    try {
      for (const name of names) {
        writeFileSync(path.join(dir, name), name);
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `pruned/${name}`, Body: name }));
      }
      // A backup in a deeper folder is not under the prefix's retention.
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `pruned/old/${names[4]}`, Body: 'x' }),
      );
    } finally {
      s3.destroy();
    }
    const removedNames = [names[2], names[4]] as string[];
    const result = await pruneBackups(config(), dir, now);
    expect(result.removed.sort()).toEqual(
      [
        ...removedNames.map((n) => path.join(dir, n)),
        ...removedNames.map((n) => `s3://${BUCKET}/pruned/${n}`),
      ].sort(),
    );
    const keptNames = [names[0], names[1], names[3]] as string[];
    expect(result.kept.sort()).toEqual(
      [
        ...keptNames.map((n) => path.join(dir, n)),
        ...keptNames.map((n) => `s3://${BUCKET}/pruned/${n}`),
      ].sort(),
    );
    expect(readdirSync(dir).sort()).toEqual([...keptNames, 'notes.txt'].sort());
    expect((await listKeys('pruned/')).map((o) => o.key).sort()).toEqual(
      [...keptNames, 'notes.txt', `old/${names[4]}`].map((n) => `pruned/${n}`).sort(),
    );
    // Applied again, it has nothing more to remove.
    expect((await pruneBackups(config(), dir, now)).removed).toEqual([]);
  });

  it('an unreachable bucket is a BackupError after the directory was pruned', async () => {
    const dir = path.join(work, 'pruned-offline');
    mkdirSync(dir, { recursive: true });
    for (const name of names) writeFileSync(path.join(dir, name), name);
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const offline = await pruneBackups(
      configOf({
        BACKUP_S3_ENDPOINT: dead,
        BACKUP_S3_PREFIX: 'pruned',
        BACKUP_KEEP_DAILY: '2',
        BACKUP_KEEP_WEEKLY: '0',
        BACKUP_KEEP_MONTHLY: '2',
      }),
      dir,
      now,
    ).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(BackupError);
    expect((offline as Error).message).toMatch(
      new RegExp(
        `^Cannot list bucket ${BUCKET} at ${dead}: connection refused.* \\(removed so far: `,
      ),
    );
    expect(readdirSync(dir).sort()).toEqual([names[0], names[1], names[3], 'notes.txt'].sort());
  });

  it('a directory that does not exist is a BackupError', async () => {
    await expect(pruneBackups(configOf(), path.join(work, 'nowhere'), now)).rejects.toThrow(
      `No backup directory at ${path.join(work, 'nowhere')}.`,
    );
  });
});

describe('rally backup and rally backup prune', () => {
  it('backs up, uploads, and prints the file as its last line and the object on stderr', async () => {
    const dir = path.join(work, 'cli');
    const { code, stdout, stderr } = await rally(
      ['backup', '--to', dir],
      env({ BACKUP_S3_PREFIX: 'cli' }),
    );
    expect(stderr).toMatch(/rally: uploaded to s3:\/\/rally-backups\/cli\/rally-embedded-\S+ in/);
    expect(code).toBe(0);
    const file = stdout.trim().split('\n').at(-1) as string;
    expect(existsSync(file)).toBe(true);
    expect(await listKeys('cli/')).toEqual([
      { key: `cli/${path.basename(file)}`, size: readFileSync(file).length },
    ]);
  }, 120_000);

  it('with the bucket unreachable, exits 1 naming it, and the local backup is written and printed', async () => {
    const dir = path.join(work, 'cli-offline');
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await rally(
      ['backup', '--to', dir],
      env({ BACKUP_S3_ENDPOINT: dead }),
    );
    expect(stderr).toContain(`bucket ${BUCKET} at ${dead}: connection refused`);
    expect(stderr).toContain('the backup is on this machine only');
    expect(code).toBe(1);
    const file = stdout.trim().split('\n').at(-1) as string;
    expect(path.dirname(file)).toBe(dir);
    expect(readdirSync(dir)).toEqual([path.basename(file)]);
  }, 120_000);

  it('prune prints what it removed from the directory', async () => {
    const dir = path.join(work, 'cli-prune');
    mkdirSync(dir, { recursive: true });
    // Old backups only, so that today's clock decides nothing: the two newest days stay.
    const old = [
      'rally-embedded-20200105T030000Z-0019_x.rally-backup',
      'rally-embedded-20200104T030000Z-0019_x.rally-backup',
      'rally-embedded-20200103T030000Z-0019_x.rally-backup',
    ];
    for (const name of old) writeFileSync(path.join(dir, name), name);
    const noBucket = {
      NODE_ENV: 'test',
      SESSION_SECRET: SECRET,
      RALLY_DATA_DIR: dataDir,
      BACKUP_DIR: dir,
      BACKUP_KEEP_DAILY: '2',
      BACKUP_KEEP_WEEKLY: '0',
      BACKUP_KEEP_MONTHLY: '0',
    };
    const { code, stdout, stderr } = await rally(['backup', 'prune'], noBucket);
    expect(stderr).toContain('rally: removed 1 backups, kept 2');
    expect(code).toBe(0);
    expect(stdout).toBe(`${path.join(dir, old[2] as string)}\n`);
    expect(readdirSync(dir).sort()).toEqual(old.slice(0, 2).sort());
  }, 120_000);
});
