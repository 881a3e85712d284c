import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { openDatabase, type Database } from './database';
import { SCHEMA_FILE, generateSchemaTypes } from './schema-codegen';

/**
 * The drift check (issue #11): the committed `schema.ts` is what kysely-codegen makes of a
 * freshly migrated database, on each kind of database. A migration without `npm run db:types`,
 * or a hand edit of the generated file, fails here.
 */
describe.each(TEST_DATABASES)('the generated database types (%s)', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let generated: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    generated = await generateSchemaTypes(db.owner);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('server/db/schema.ts is what the migrated schema generates (run `npm run db:types` after a migration)', () => {
    expect(generated).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('a status column is typed as the values its check constraint allows', () => {
    expect(generated).toContain(
      "status: Generated<'scheduled' | 'postponed' | 'cancelled' | 'played'>;",
    );
  });
});
