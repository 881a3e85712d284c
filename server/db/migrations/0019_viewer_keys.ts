import { sql, type Kysely } from 'kysely';

/**
 * The rows a user created, found by an index (issue #12, decision 0016). A user's visibility key
 * (`viewerRepository.visibility`) names the teams and leagues they created that the select
 * policies show them only because they created them (`created_by = app_user_id()` in
 * `teams_select` and `leagues_select`); without these indexes that look-up read every team and
 * every league of the installation, once per user after each write.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index teams_created_by on teams (created_by)`.execute(db);
  await sql`create index leagues_created_by on leagues (created_by)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists leagues_created_by`.execute(db);
  await sql`drop index if exists teams_created_by`.execute(db);
}
