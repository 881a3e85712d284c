import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Tables of the schema public without user data, which need no row-level security, each with
 * the reason. Keep it short: a table that holds anything a user wrote or is about does not
 * belong here.
 */
export const TABLES_WITHOUT_USER_DATA: Record<string, string> = {
  rally_migrations: "the migrator's record of applied migrations: names and times",
  rally_migrations_lock: "the migrator's lock row",
};

/** The roles that may execute functions and that policies may name (decision 0007). */
const APP_ROLES = ['rally_app', 'rally_system'];

/**
 * What the catalogue shows that would let a role past row-level security, one sentence each;
 * empty when nothing does. Read with any connection (the catalogue is visible to all):
 *
 * - every table of the schema public but `TABLES_WITHOUT_USER_DATA` has row-level security
 *   enabled and forced, and policies for the app (`rally_app` or `rally_system`), none for any
 *   other role but the table's owner (`<table>_owner`, migration 0011), none for PUBLIC;
 * - no function of the schema may be executed by PUBLIC, and a `security definer` one only by its
 *   owner and the app roles, with a fixed `search_path`;
 * - `rally_app` and `rally_system` are no superusers, do not bypass row-level security and own
 *   nothing.
 *
 * The login role itself is `Database.loginRoleProblems()`.
 */
export async function rlsCatalogueProblems(db: Kysely<DB>): Promise<string[]> {
  const problems: string[] = [];
  const allowed = Object.keys(TABLES_WITHOUT_USER_DATA);

  const tables = await sql<{
    name: string;
    rls: boolean;
    forced: boolean;
    appPolicies: number;
    publicPolicies: number;
    otherPolicies: number;
  }>`
    select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
      (select count(*) from pg_policy p where p.polrelid = c.oid and exists (
        select from unnest(p.polroles) r join pg_roles a on a.oid = r
        where a.rolname = any (${APP_ROLES})))::int as app_policies,
      (select count(*) from pg_policy p where p.polrelid = c.oid and 0 = any (p.polroles))::int
        as public_policies,
      (select count(*) from pg_policy p where p.polrelid = c.oid and exists (
        select from unnest(p.polroles) r join pg_roles a on a.oid = r
        where a.rolname <> all (${APP_ROLES}) and r <> c.relowner))::int as other_policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`.execute(db);
  for (const t of tables.rows) {
    if (allowed.includes(t.name)) continue;
    if (!t.rls) problems.push(`table ${t.name}: row-level security is not enabled`);
    else if (!t.forced) problems.push(`table ${t.name}: row-level security is not forced`);
    if (t.appPolicies === 0) {
      problems.push(`table ${t.name}: no policy for ${APP_ROLES.join(' or ')}`);
    }
    if (t.publicPolicies > 0) problems.push(`table ${t.name}: a policy applies to PUBLIC`);
    if (t.otherPolicies > 0) {
      problems.push(
        `table ${t.name}: a policy applies to a role other than the app's and the owner`,
      );
    }
  }

  const functions = await sql<{
    name: string;
    definer: boolean;
    fixedPath: boolean;
    publicExecute: boolean;
    others: string[];
  }>`
    select p.oid::regprocedure::text as name, p.prosecdef as definer,
      exists (select from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')
        as fixed_path,
      exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public_execute,
      array(select r.rolname::text
        from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        join pg_roles r on r.oid = a.grantee
        where a.privilege_type = 'EXECUTE' and a.grantee <> p.proowner
          and r.rolname <> all (${APP_ROLES})
        order by 1) as others
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'
    order by 1`.execute(db);
  for (const f of functions.rows) {
    if (f.publicExecute) problems.push(`function ${f.name}: PUBLIC may execute it`);
    if (!f.definer) continue;
    if (f.others.length > 0) {
      problems.push(`function ${f.name}: security definer executable by ${f.others.join(', ')}`);
    }
    if (!f.fixedPath) problems.push(`function ${f.name}: security definer without a search_path`);
  }

  const roles = await sql<{ name: string; superuser: boolean; bypassrls: boolean; owns: number }>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
      ((select count(*) from pg_class c where c.relowner = r.oid)
        + (select count(*) from pg_proc p where p.proowner = r.oid))::int as owns
    from pg_roles r where r.rolname = any (${APP_ROLES}) order by 1`.execute(db);
  for (const role of APP_ROLES) {
    const r = roles.rows.find((row) => row.name === role);
    if (!r) problems.push(`role ${role}: missing`);
    else if (r.superuser || r.bypassrls || r.owns > 0) {
      problems.push(`role ${role}: superuser, BYPASSRLS or owner of something`);
    }
  }
  return problems;
}
