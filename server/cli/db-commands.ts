import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { seedDemo } from './seed';

/**
 * `rally migrate`: applies pending migrations to the configured database, as the owner of
 * `DATABASE_OWNER_URL` when set, then reports what would keep the server's login role
 * (`DATABASE_URL`) from being ready (decision 0007).
 */
export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const applied = await db.migrate();
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    const problems = await db.loginRoleProblems();
    for (const problem of problems) console.error(`Warning: ${problem}`);
    if (problems.length > 0) {
      console.error('The server will not be ready with this login role: see docs/deployment.md.');
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** `rally seed`: loads the demo data into the configured database (idempotent). */
export async function seedCommand(): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await db.migrate();
    await seedDemo(db);
    console.log('Demo data loaded.');
    return 0;
  } finally {
    await db.close();
  }
}
