import { sql, type Kysely } from 'kysely';

/**
 * A league's time zone (issue #5): the IANA zone of its match dates and start times, which stay
 * wall-clock values without a zone. "Today" for a league's matches is the date in this zone, and
 * calendar feeds give each match's instant in UTC from it. Existing leagues keep what they had,
 * the server's UTC date, until an organizer chooses their zone.
 *
 * The API checks the name against the platform's IANA list (`domain/rules/dates.ts`); the database
 * only keeps out what cannot be a zone name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table leagues
    add column time_zone text not null default 'UTC'
      check (time_zone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$')`.execute(db);
  await sql`grant update (time_zone) on leagues to rally_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table leagues drop column if exists time_zone`.execute(db);
}
