import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { seedDemo } from '../db/seed';

/** `rally migrate`: applies pending migrations to the configured database. */
export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const applied = await db.migrate();
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
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
