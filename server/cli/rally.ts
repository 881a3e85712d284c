/**
 * `rally <command>`: the operator's tasks (`npm run rally -- <command>`).
 * Each command is imported lazily so that, for example, a ratings replay never loads the database.
 */
const USAGE = `Usage: rally <command>

Commands:
  migrate                      apply pending database migrations
  seed                         load the demo data (idempotent)
  backup --to <dir>            back up the configured database into <dir>, and upload it to
                               BACKUP_S3_BUCKET when set; prints the file
  backup prune [--dir <dir>]   remove the backups that retention (BACKUP_KEEP_*) does not keep,
                               in <dir> (default BACKUP_DIR) and the bucket; prints them
  backup schedule              back up into BACKUP_DIR daily at BACKUP_AT (PostgreSQL), upload,
                               apply retention; runs until SIGTERM
  backup verify <file>         restore <file> into a scratch database and compare its rows
  restore <file>               restore <file> into the configured database, which must be empty
  ratings replay <file.csv>    replay a matches file, print match_id,p_a for every row
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return (await import('./db-commands')).migrateCommand();
    case 'seed':
      return (await import('./db-commands')).seedCommand();
    case 'backup':
    case 'restore':
      return (await import('./backup-commands')).backupCommand(command, rest, USAGE);
    case 'ratings':
      return (await import('./ratings')).ratingsCommand(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`rally: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rally: ${error instanceof Error ? error.message : String(error)}\n`);
    // EX_CONFIG for a configuration problem, as the server does.
    process.exitCode = error instanceof Error && error.name === 'ConfigError' ? 78 : 1;
  },
);
