import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { insertLeague, insertUsers } from '../test/rls-fixtures';
import { openDatabase, type Database, type Tx } from './database';

/**
 * Row-level security of invitations to co-organize (issue #10, finding 4), proven without the
 * API: plain SQL as the app role with `app.user_id` set, against rows seeded as the owner. Nobody
 * becomes co-organizer except by their own insert through an open invitation addressed to their
 * verified e-mail.
 */
describe.each(TEST_DATABASES)('row-level security of invitations to co-organize on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  /** Olga owns the league; Hana is invited; Mallory is not; Una has Hana's address, unverified. */
  let olga: string;
  let hana: string;
  let mallory: string;
  let una: string;
  let league: string;

  let userCount = 0;
  async function seedUser(email: string, verified = true): Promise<string> {
    userCount += 1;
    const [id] = await insertUsers(db.owner, [
      { oidcSubject: `user-${userCount}`, email, emailVerified: verified, role: 'organizer' },
    ]);
    return id;
  }

  const seedLeague = () =>
    insertLeague(db.owner, { name: 'Private league', rosterMin: 2, createdBy: olga });

  /** An invitation to Hana's address, open unless told otherwise. */
  async function seedInvite(
    leagueId: string,
    state: { withdrawn?: boolean; expired?: boolean; email?: string } = {},
  ): Promise<string> {
    const { id } = await db.owner
      .insertInto('leagueOrganizerInvites')
      .values({
        leagueId: leagueId,
        email: state.email ?? 'hana@example.com',
        invitedBy: olga,
        expiresAt: new Date(Date.now() + (state.expired ? -1 : 1) * 3600_000),
        withdrawnAt: state.withdrawn ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  const joinAsCoOrganizer = (userId: string, leagueId: string) => (tx: Tx) =>
    sql`insert into league_organizers (league_id, user_id, role)
      values (${leagueId}, ${userId}, 'co_organizer')`.execute(tx);

  async function organizersOf(leagueId: string) {
    return (
      await db.owner
        .selectFrom('leagueOrganizers')
        .select('userId')
        .where('leagueId', '=', leagueId)
        .orderBy('createdAt')
        .execute()
    ).map((r) => r.userId);
  }

  const invitesSeenBy = (userId: string, leagueId: string) =>
    db.withUser(userId, async (tx) =>
      (
        await sql<{
          id: string;
        }>`select id from league_organizer_invites where league_id = ${leagueId}`.execute(tx)
      ).rows.map((r) => r.id),
    );

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    olga = await seedUser('olga@example.com');
    hana = await seedUser('hana@example.com');
    mallory = await seedUser('mallory@example.com');
    una = await seedUser('hana@example.com', false);
    league = await seedLeague();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('an organizer cannot make somebody else co-organizer, invited or not', async () => {
    await seedInvite(league);
    for (const someone of [hana, mallory]) {
      await expect(db.withUser(olga, joinAsCoOrganizer(someone, league))).rejects.toMatchObject({
        code: '42501',
      });
    }
    expect(await organizersOf(league)).toEqual([olga]);
  });

  it('only the verified addressee of an open invitation may add themselves', async () => {
    const own = await seedLeague();
    await seedInvite(own);
    for (const someone of [mallory, una]) {
      await expect(db.withUser(someone, joinAsCoOrganizer(someone, own))).rejects.toMatchObject({
        code: '42501',
      });
    }
    // As owner, too: the bootstrap row is only for a league nobody owns yet.
    await expect(
      db.withUser(hana, (tx) =>
        sql`insert into league_organizers (league_id, user_id, role)
          values (${own}, ${hana}, 'owner')`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await db.withUser(hana, joinAsCoOrganizer(hana, own));
    expect(await organizersOf(own)).toEqual([olga, hana]);
  });

  it('a withdrawn or expired invitation admits nobody', async () => {
    for (const state of [{ withdrawn: true }, { expired: true }]) {
      const own = await seedLeague();
      await seedInvite(own, state);
      await expect(db.withUser(hana, joinAsCoOrganizer(hana, own))).rejects.toMatchObject({
        code: '42501',
      });
      expect(await organizersOf(own)).toEqual([olga]);
    }
  });

  it("invitations are seen by the league's organizers and their verified addressee only", async () => {
    const own = await seedLeague();
    const toHana = await seedInvite(own);
    const toMallory = await seedInvite(own, { email: 'mallory@example.com' });
    expect((await invitesSeenBy(olga, own)).sort()).toEqual([toHana, toMallory].sort());
    expect(await invitesSeenBy(hana, own)).toEqual([toHana]);
    expect(await invitesSeenBy(mallory, own)).toEqual([toMallory]);
    expect(await invitesSeenBy(una, own)).toEqual([]);
    const mine = await db.withUser(
      hana,
      async (tx) =>
        (
          await sql<{
            id: string;
            leagueName: string;
          }>`select id, league_name from app_my_organizer_invites() where league_id = ${own}`.execute(
            tx,
          )
        ).rows,
    );
    expect(mine).toEqual([{ id: toHana, leagueName: 'Private league' }]);
    expect(
      await db.withUser(
        una,
        async (tx) => (await sql`select id from app_my_organizer_invites()`.execute(tx)).rows,
      ),
    ).toEqual([]);
  });

  it('only organizers create invitations, pending and in their own name', async () => {
    const own = await seedLeague();
    const insert =
      (invitedBy: string, days = 1) =>
      (tx: Tx) =>
        sql`insert into league_organizer_invites (league_id, email, invited_by, expires_at)
        values (${own}, 'x@example.com', ${invitedBy}, now() + make_interval(days => ${days}))`.execute(
          tx,
        );
    await expect(db.withUser(mallory, insert(mallory))).rejects.toMatchObject({ code: '42501' });
    await expect(db.withUser(olga, insert(mallory))).rejects.toMatchObject({ code: '42501' });
    await expect(db.withUser(olga, insert(olga, 90))).rejects.toMatchObject({ code: '42501' });
    // The answer columns are not the app's to write.
    await expect(
      db.withUser(olga, (tx) =>
        sql`insert into league_organizer_invites (league_id, email, invited_by, expires_at,
          accepted_at) values (${own}, 'x@example.com', ${olga}, now() + interval '1 day',
          now())`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await db.withUser(olga, insert(olga));
    expect(await invitesSeenBy(olga, own)).toHaveLength(1);
  });

  it('the addressee answers only through the functions; organizers only withdraw', async () => {
    const own = await seedLeague();
    const invite = await seedInvite(own);
    const stateOf = async () =>
      db.owner
        .selectFrom('leagueOrganizerInvites')
        .select(['acceptedAt', 'declinedAt', 'withdrawnAt'])
        .where('id', '=', invite)
        .executeTakeFirstOrThrow();

    // No update right on the answer columns for anybody, and none at all for the addressee.
    await expect(
      db.withUser(hana, (tx) =>
        sql`update league_organizer_invites set accepted_at = now() where id = ${invite}`.execute(
          tx,
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const hanaWithdraws = await db.withUser(hana, (tx) =>
      sql`update league_organizer_invites set withdrawn_at = now() where id = ${invite}`.execute(
        tx,
      ),
    );
    expect(hanaWithdraws.numAffectedRows).toBe(0n);
    const answer = (userId: string, fn: 'accept' | 'decline') =>
      db.withUser(userId, async (tx) =>
        fn === 'accept'
          ? (
              await sql<{
                ok: boolean;
              }>`select app_accept_organizer_invite(${invite}) as ok`.execute(tx)
            ).rows[0]?.ok
          : (
              await sql<{
                ok: boolean;
              }>`select app_decline_organizer_invite(${invite}) as ok`.execute(tx)
            ).rows[0]?.ok,
      );
    for (const someone of [olga, mallory, una]) {
      expect(await answer(someone, 'accept')).toBe(false);
      expect(await answer(someone, 'decline')).toBe(false);
    }
    expect(await stateOf()).toEqual({ acceptedAt: null, declinedAt: null, withdrawnAt: null });

    expect(await answer(hana, 'decline')).toBe(true);
    expect(await answer(hana, 'accept')).toBe(false);
    expect((await stateOf()).declinedAt).toBeInstanceOf(Date);

    const another = await seedInvite(own);
    const olgaWithdraws = await db.withUser(olga, (tx) =>
      sql`update league_organizer_invites set withdrawn_at = now() where id = ${another}`.execute(
        tx,
      ),
    );
    expect(olgaWithdraws.numAffectedRows).toBe(1n);
  });
});
