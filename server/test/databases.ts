import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type DatabaseKind = 'embedded' | 'postgres';

/**
 * The databases every integration suite runs on: always embedded PGlite, and the real PostgreSQL
 * server too when `TEST_DATABASE_URL` is set (CI sets it).
 */
export const TEST_DATABASES: DatabaseKind[] = process.env.TEST_DATABASE_URL
  ? ['embedded', 'postgres']
  : ['embedded'];

export interface TestDatabase {
  /** The app's login role: owns nothing, no superuser, no BYPASSRLS (PostgreSQL only). */
  databaseUrl: string | undefined;
  /** The owner of the tables, which migrates (PostgreSQL only). */
  databaseOwnerUrl: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

/** Any number: the key of the advisory lock under which test files set up cluster-wide roles. */
const ROLES_LOCK = 7_261_001;

/**
 * A fresh, empty database of that kind, for one test file: in-memory PGlite, or a new database
 * on the server with two roles of its own, as production has them (docs/deployment.md): an
 * owner that migrates, and a login role for the app that owns nothing and is a member of
 * `rally_app` and `rally_system`. `TEST_DATABASE_URL` must name a superuser, which makes them.
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'embedded') {
    return {
      databaseUrl: undefined,
      databaseOwnerUrl: undefined,
      dataDir: 'memory://',
      drop: async () => {},
    };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `rally_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const owner = { name: `${name}_owner`, password: randomBytes(16).toString('hex') };
  const login = { name: `${name}_login`, password: randomBytes(16).toString('hex') };
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Roles are cluster-wide and test files run in parallel: the shared ones are made under a
    // lock, once; each file's own two roles have unique names and passwords.
    await admin.query('begin');
    await admin.query('select pg_advisory_xact_lock($1)', [ROLES_LOCK]);
    await admin.query(`
      do $$ begin
        if not exists (select from pg_roles where rolname = 'rally_app') then
          create role rally_app nologin;
        end if;
        if not exists (select from pg_roles where rolname = 'rally_system') then
          create role rally_system nologin;
        end if;
      end $$`);
    await admin.query(
      `create role ${owner.name} login nosuperuser nobypassrls nocreaterole password '${owner.password}'`,
    );
    // Migration 0001 makes the migrating user a member of rally_app, or needs CREATEROLE.
    await admin.query(`grant rally_app to ${owner.name}`);
    await admin.query(
      `create role ${login.name} login noinherit nosuperuser nobypassrls nocreaterole password '${login.password}'`,
    );
    await admin.query(`grant rally_app, rally_system to ${login.name}`);
    await admin.query('commit');
    await admin.query(`create database ${name} owner ${owner.name}`);
  } catch (error) {
    await admin.query('rollback').catch(() => {});
    throw error;
  } finally {
    await admin.end();
  }
  const urlOf = (role: { name: string; password: string }) => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    url.username = role.name;
    url.password = role.password;
    return url.href;
  };
  return {
    databaseUrl: urlOf(login),
    databaseOwnerUrl: urlOf(owner),
    dataDir: 'memory://',
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
        await client.query(`drop role if exists ${login.name}`);
        await client.query(`drop role if exists ${owner.name}`);
      } finally {
        await client.end();
      }
    },
  };
}
