import { loadConfig } from '../config';
import {
  BackupError,
  createBackup,
  restoreBackup,
  verifyBackup,
  type Manifest,
} from '../backup/backup';
import { pruneBackups, storeBackup } from '../backup/storage';

const totalRows = (m: Manifest) => Object.values(m.rows).reduce((a, b) => a + b, 0);

/**
 * `rally backup --to <dir>`, `rally backup prune [--dir <dir>]`, `rally backup verify <file>`,
 * `rally restore <file>`. Exit codes: 0 done, 1 with a one-line reason (a bad file, a target that
 * is not empty, a tool missing, a full disk, a bucket that cannot be reached), 2 for a bad
 * command line. For scripts, `backup` prints the file it wrote as its last line, also when the
 * upload to the bucket failed after it (exit code 1): the backup is then on this machine only.
 */
export async function backupCommand(
  command: 'backup' | 'restore',
  args: string[],
  usage: string,
): Promise<number> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  try {
    if (command === 'backup' && args[0] === '--to' && args.length === 2) {
      const config = loadConfig();
      const file = await createBackup(config, args[1] as string);
      process.stderr.write(`rally: backed up in ${seconds()} s\n`);
      try {
        const { uploaded } = await storeBackup(config, file);
        if (uploaded) process.stderr.write(`rally: uploaded to ${uploaded} in ${seconds()} s\n`);
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        process.stderr.write(
          `rally: ${error.message}\nrally: the backup is on this machine only:\n`,
        );
        process.stdout.write(`${file}\n`);
        return 1;
      }
      process.stdout.write(`${file}\n`);
      return 0;
    }
    if (
      command === 'backup' &&
      args[0] === 'prune' &&
      (args.length === 1 || (args.length === 3 && args[1] === '--dir'))
    ) {
      const config = loadConfig();
      const { kept, removed } = await pruneBackups(config, args[2] ?? config.backup.dir);
      for (const name of removed) process.stdout.write(`${name}\n`);
      const { daily, weekly, monthly } = config.backup.keep;
      process.stderr.write(
        `rally: removed ${removed.length} backups, kept ${kept.length} (${daily} daily, ${weekly} weekly, ${monthly} monthly)\n`,
      );
      return 0;
    }
    if (command === 'backup' && args[0] === 'verify' && args.length === 2) {
      const manifest = await verifyBackup(loadConfig(), args[1] as string);
      process.stdout.write(
        `rally: ${args[1]} is good: ${manifest.kind}, schema ${manifest.schemaVersion}, ${totalRows(manifest)} rows in ${Object.keys(manifest.rows).length} tables restored and compared in ${seconds()} s\n`,
      );
      return 0;
    }
    if (command === 'restore' && args.length === 1) {
      const manifest = await restoreBackup(loadConfig(), args[0] as string);
      process.stdout.write(
        `rally: restored ${manifest.kind} backup of ${manifest.createdAt} (schema ${manifest.schemaVersion}, ${totalRows(manifest)} rows) in ${seconds()} s\n`,
      );
      return 0;
    }
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    process.stderr.write(`rally: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(usage);
  return 2;
}
