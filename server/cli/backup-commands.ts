import { loadConfig } from '../config';
import { BackupError, restoreBackup, verifyBackup, type Manifest } from '../backup/backup';
import { recordedBackup, startBackupSchedule, type ScheduleLog } from '../backup/schedule';
import { pruneBackups, pruneStep, uploadStep } from '../backup/storage';
import { openDatabase } from '../db/database';

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
      // Opened here rather than by createBackup, to record the run in backup_runs too.
      const db = await openDatabase(config);
      try {
        const { outcome, run, unrecorded } = await recordedBackup({
          db,
          config,
          dir: args[1] as string,
          afterBackup: [
            uploadStep(config, (uploaded) =>
              process.stderr.write(`rally: uploaded to ${uploaded} in ${seconds()} s\n`),
            ),
          ],
        });
        if (unrecorded) process.stderr.write(`rally: the run was not recorded: ${unrecorded}\n`);
        if (outcome.kind === 'failed') {
          if (!run.file) throw new BackupError(outcome.error);
          // Written, not uploaded: the path still ends the output, for the script to act on.
          process.stderr.write(
            `rally: ${outcome.error}\nrally: the backup is on this machine only:\n`,
          );
          process.stdout.write(`${run.file}\n`);
          return 1;
        }
        process.stderr.write(`rally: backed up in ${seconds()} s\n`);
        process.stdout.write(`${outcome.file}\n`);
        return 0;
      } finally {
        await db.close();
      }
    }
    if (command === 'backup' && args[0] === 'schedule' && args.length === 1) {
      return await scheduleCommand();
    }
    if (
      command === 'backup' &&
      args[0] === 'prune' &&
      (args.length === 1 || (args.length === 3 && args[1] === '--dir'))
    ) {
      const config = loadConfig();
      const dir = args[2] ?? config.backup.dir;
      if (!dir)
        throw new BackupError('Say which directory to prune: --dir <dir>, or set BACKUP_DIR.');
      const { kept, removed } = await pruneBackups(config, dir);
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

/** One JSON line per event on standard output, as the server's (pino's) log lines are. */
const jsonLog = (level: number) => (details: object, msg: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), msg, ...details })}\n`);
const log: ScheduleLog = { info: jsonLog(30), error: jsonLog(50) };

/**
 * `rally backup schedule`: the server's daily backups (server/backup/schedule.ts) in a process of
 * their own, until SIGTERM or SIGINT. For PostgreSQL deployments whose app instances must not hold
 * the owner's password (decision 0007): this process has it, they do not, and the outcome reaches
 * their /metrics through backup_runs all the same. The embedded database backs up in the server.
 */
async function scheduleCommand(): Promise<number> {
  const config = loadConfig();
  const dir = config.backup.dir;
  if (!dir) throw new BackupError('Set BACKUP_DIR: the directory the daily backups go into.');
  if (!config.databaseUrl) {
    throw new BackupError(
      'The embedded database backs up inside the server (set BACKUP_DIR there): only one process may open it.',
    );
  }
  const db = await openDatabase(config);
  try {
    const schedule = startBackupSchedule({
      db,
      config,
      log,
      afterBackup: [
        uploadStep(config, (uri) => log.info({ backup: { uploaded: uri } }, 'backup uploaded')),
        pruneStep(config, dir),
      ],
    });
    log.info(
      { backup: { dir, at: config.backup.at } },
      `backing up daily at ${config.backup.at} UTC`,
    );
    await new Promise((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await schedule.stop(config.shutdown.timeoutMs);
    return 0;
  } finally {
    await db.close();
  }
}
