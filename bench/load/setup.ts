import pg from 'pg';

/**
 * The command line's `--name value` pairs (a flag with no value is `'true'`): bench:scale and
 * bench:routes.
 */
export function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 2; i < argv.length; i++) {
    const name = String(argv[i]).replace(/^--/, '');
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(name, next);
      i++;
    } else flags.set(name, 'true');
  }
  return flags;
}

/**
 * A new, empty database `name` on the PostgreSQL server at `serverUrl` (one left by an earlier
 * run is dropped first), with its URL and a way to drop it again. The user must create databases.
 */
export async function scratchDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`drop database if exists ${name} with (force)`) };
}
