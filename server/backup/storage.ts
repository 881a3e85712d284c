import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import { BackupError } from './backup';
import { parseBackupName, retain } from './retention';
import type { AfterBackup } from './schedule';
// s3.ts loads the AWS SDK only when a bucket is opened.
import { openBucket, whereIs } from './s3';

/** The file's size and sha-256 (hex), read once. */
async function digest(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * Uploads a backup file to the configured bucket (nothing without one), under the prefix, with
 * its sha-256 as the object's `sha256` metadata, then reads the object's size back: an upload
 * is done only when the bucket holds what the file holds. Returns `s3://bucket/key`. An
 * unreachable endpoint, refused credentials or a missing bucket is a `BackupError` naming the
 * bucket, where it is, and why; the file is left as it was.
 */
export async function storeBackup(config: Config, file: string): Promise<{ uploaded?: string }> {
  const s3 = config.backup.s3;
  if (!s3) return {};
  const { size, sha256 } = await digest(file);
  const bucket = await openBucket(s3);
  try {
    const key = bucket.keyOf(path.basename(file));
    await bucket.upload(file, key, sha256);
    const stored = await bucket.head(key);
    if (stored.size !== size || stored.sha256 !== sha256) {
      throw new BackupError(
        `Uploaded ${key} to ${whereIs(s3)}, but it holds ${stored.size} bytes (sha-256 ${stored.sha256 ?? 'unknown'}) where ${file} has ${size} (${sha256}): upload again.`,
      );
    }
    return { uploaded: bucket.uri(key) };
  } finally {
    bucket.close();
  }
}

/**
 * Applies retention (`config.backup.keep`, see `retain`) to the backups in `dir` and, when a
 * bucket is configured, to the backups directly under its prefix: each location on its own, so
 * a backup kept in one may be gone from the other. Files and objects that are not backups are
 * never removed. Returns the paths (and `s3://` URIs) of the backups kept and removed.
 */
export async function pruneBackups(
  config: Config,
  dir: string,
  now: Date = new Date(),
): Promise<{ kept: string[]; removed: string[] }> {
  const kept: string[] = [];
  const removed: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackupError(`No backup directory at ${dir}.`);
    }
    throw error;
  }
  const files = entries.filter((e) => e.isFile()).map((e) => ({ name: e.name }));
  const local = retain(files, config.backup.keep, now);
  for (const { name } of local.remove) {
    await rm(path.join(dir, name), { force: true });
    removed.push(path.join(dir, name));
  }
  kept.push(
    ...local.keep.filter((f) => parseBackupName(f.name)).map((f) => path.join(dir, f.name)),
  );

  const s3 = config.backup.s3;
  if (!s3) return { kept, removed };
  const bucket = await openBucket(s3);
  try {
    const remote = retain(await bucket.list(), config.backup.keep, now);
    for (const object of remote.remove) {
      await bucket.remove(object.key);
      removed.push(bucket.uri(object.key));
    }
    kept.push(...remote.keep.filter((o) => parseBackupName(o.name)).map((o) => bucket.uri(o.key)));
    return { kept, removed };
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    const done = removed.length > 0 ? ` (removed so far: ${removed.join(', ')})` : '';
    throw new BackupError(`${error.message}${done}`);
  } finally {
    bucket.close();
  }
}

/**
 * The step after a backup (schedule.ts) that uploads it when a bucket is configured; `onUploaded`
 * hears where to. A failed upload fails the run: the backup is then on this machine only.
 */
export function uploadStep(config: Config, onUploaded?: (uri: string) => void): AfterBackup {
  return async (file) => {
    const { uploaded } = await storeBackup(config, file);
    if (uploaded) onUploaded?.(uploaded);
  };
}

/** The step after a scheduled backup that applies retention to `dir` and the bucket. */
export function pruneStep(config: Config, dir: string): AfterBackup {
  return async () => {
    await pruneBackups(config, dir);
  };
}
