import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema';

const TICKS_PER_SECOND = 100;

/** Fields 14–17 of /proc/<pid>/stat: user and system time, own and of reaped children. */
function ticks(pid: number, withChildren: boolean): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]);
  return at(14) + at(15) + (withChildren ? at(16) + at(17) : 0);
}

/**
 * A reader of the PostgreSQL server's CPU time in microseconds, when the server runs on this
 * machine and its data directory can be read (its user a superuser or `pg_read_all_settings`):
 * the postmaster's own time and that of the backends it has reaped, plus its live backends'.
 * The whole server's, so work of other databases on it counts too. Undefined otherwise.
 */
export async function postgresCpuReader(owner: Kysely<DB>): Promise<(() => number) | undefined> {
  try {
    const { rows } = await sql<{
      dir: string;
    }>`select setting as dir from pg_settings where name = 'data_directory'`.execute(owner);
    const dir = rows[0]?.dir;
    if (!dir) return undefined;
    const postmaster = Number(
      readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    ticks(postmaster, true);
    return () => {
      let total = ticks(postmaster, true);
      const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8');
      for (const child of children.split(' ').filter(Boolean)) {
        try {
          total += ticks(Number(child), false);
        } catch {
          // A backend that ended between the two reads: its time is the postmaster's now.
        }
      }
      return (total / TICKS_PER_SECOND) * 1e6;
    };
  } catch {
    return undefined;
  }
}
