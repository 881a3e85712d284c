import { writeFileSync } from 'node:fs';
import { openDatabase } from '../db/database';
import { SCHEMA_FILE, generateSchemaTypes } from '../db/schema-codegen';

/**
 * `npm run db:types`: migrates a fresh in-memory database and writes `server/db/schema.ts` from
 * its schema. Run it after adding a migration; `server/db/schema.test.ts` fails until then.
 */
const db = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
try {
  await db.migrate();
  writeFileSync(SCHEMA_FILE, await generateSchemaTypes(db.owner));
  console.log(`Wrote ${SCHEMA_FILE}`);
} finally {
  await db.close();
}
