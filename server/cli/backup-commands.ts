import { loadConfig } from '../config';
import { BackupError, restoreBackup, verifyBackup, type Manifest } from '../backup/backup';
import { recordedBackup } from '../backup/schedule';
import { openDatabase } from '../db/database';

const totalRows = (m: Manifest) => Object.values(m.rows).reduce((a, b) => a + b, 0);

/**
 * `rally backup --to <dir>`, `rally backup verify <file>`, `rally restore <file>`. Exit codes: 0
 * done, 1 with a one-line reason (a bad file, a target that is not empty, a tool missing), 2 for
 * a bad command line. For scripts, `backup` prints the file it wrote as its last line.
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
        const { outcome, unrecorded } = await recordedBackup({
          db,
          config,
          dir: args[1] as string,
          afterBackup: [],
        });
        if (unrecorded) process.stderr.write(`rally: the run was not recorded: ${unrecorded}\n`);
        if (outcome.kind === 'failed') throw new BackupError(outcome.error);
        process.stderr.write(`rally: backed up in ${seconds()} s\n`);
        process.stdout.write(`${outcome.file}\n`);
        return 0;
      } finally {
        await db.close();
      }
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
