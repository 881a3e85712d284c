import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import type { Role } from '#domain/schemas/me';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import {
  insertDivision,
  insertLeague,
  insertProfile,
  insertSeason,
  insertTeam,
  insertUsers,
} from '../test/rls-fixtures';
import { openDatabase, type Database, type Tx } from './database';

/**
 * Row-level security of leagues, seasons, divisions, teams, rosters and invites, proven without
 * the API: plain SQL as the app role with `app.user_id` set (and `app.invite_token` for an
 * invite's holder), against rows seeded through the owner connection.
 */
describe.each(TEST_DATABASES)('row-level security of leagues and teams on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  /** Olga organizes both leagues; Cara captains the private team with Pat on it. */
  let olga: string;
  let cara: string;
  let pat: string;
  /** Owen (captain role) and Ivy (player role) have nothing to do with the private league. */
  let owen: string;
  let ivy: string;
  let privateLeague: string;
  let privateSeason: string;
  let privateDivision: string;
  let privateTeam: string;
  let publicLeague: string;
  let openDivision: string;
  let closedDivision: string;
  let publicTeam: string;

  let userCount = 0;
  /** A user with a profile (display name, phone), seeded as the owner. */
  async function seedUser(name: string, role: Role | null): Promise<string> {
    userCount += 1;
    const [id] = await insertUsers(db.owner, [
      { oidcSubject: `user-${userCount}`, email: `user${userCount}@example.com`, role },
    ]);
    await insertProfile(db.owner, id, name, `+1415555${String(userCount).padStart(4, '0')}`);
    return id;
  }

  const seedLeague = (visibility: 'public' | 'private') =>
    insertLeague(db.owner, {
      name: `${visibility} league`,
      visibility,
      rosterMin: 2,
      createdBy: olga,
    });

  async function seedDivision(leagueId: string, registrationOpen: boolean) {
    const seasonId = await insertSeason(db.owner, leagueId, {
      name: registrationOpen ? 'Open season' : 'Closed season',
      startsOn: '2027-03-01',
      endsOn: '2027-06-30',
      registrationOpen,
    });
    return { seasonId, divisionId: await insertDivision(db.owner, seasonId, '3.5') };
  }

  const seedTeam = (divisionId: string, name: string, captain: string) =>
    insertTeam(db.owner, divisionId, { name, createdBy: captain });

  let inviteCount = 0;
  /** An invite stored with this token hash; open unless told otherwise. */
  async function seedInvite(
    teamId: string,
    state: { revoked?: boolean; expired?: boolean } = {},
  ): Promise<{ id: string; hash: string }> {
    inviteCount += 1;
    const hash = `hash-${inviteCount}-${state.revoked ? 'revoked' : state.expired ? 'expired' : 'open'}`;
    const { id } = await db.owner
      .insertInto('teamInvites')
      .values({
        teamId: teamId,
        tokenHash: hash,
        kind: 'link',
        maxUses: 10,
        expiresAt: new Date(Date.now() + (state.expired ? -1 : 1) * 3600_000),
        revokedAt: state.revoked ? new Date() : null,
        createdBy: cara,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, hash };
  }

  /** As this user, holding the invite token whose hash is given. */
  function withToken<T>(userId: string, hash: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return db.withUser(userId, async (tx) => {
      await sql`select set_config('app.invite_token', ${hash}, true)`.execute(tx);
      return fn(tx);
    });
  }

  async function rosterOf(teamId: string) {
    return db.owner
      .selectFrom('teamMembers')
      .select(['userId', 'role'])
      .where('teamId', '=', teamId)
      .orderBy('joinedAt')
      .execute();
  }

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    olga = await seedUser('Olga Organizer', 'organizer');
    cara = await seedUser('Cara Captain', 'captain');
    pat = await seedUser('Pat Player', 'player');
    owen = await seedUser('Owen Outsider', 'captain');
    ivy = await seedUser('Ivy Outsider', 'player');

    privateLeague = await seedLeague('private');
    ({ seasonId: privateSeason, divisionId: privateDivision } = await seedDivision(
      privateLeague,
      true,
    ));
    privateTeam = await seedTeam(privateDivision, 'Private Aces', cara);
    await db.owner
      .insertInto('teamMembers')
      .values({ teamId: privateTeam, userId: pat, role: 'player' })
      .execute();

    publicLeague = await seedLeague('public');
    ({ divisionId: openDivision } = await seedDivision(publicLeague, true));
    ({ divisionId: closedDivision } = await seedDivision(publicLeague, false));
    const cody = await seedUser('Cody Captain', 'captain');
    publicTeam = await seedTeam(openDivision, 'Public Smashers', cody);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  /** Which rows of the private league this user (null: signed out) can read. */
  async function privateLeagueSeenBy(userId: string | null) {
    return db.withUser(userId, async (tx) => ({
      leagues: (await sql`select id from leagues where id = ${privateLeague}`.execute(tx)).rows
        .length,
      organizers: (
        await sql`select user_id from league_organizers where league_id = ${privateLeague}`.execute(
          tx,
        )
      ).rows.length,
      seasons: (await sql`select id from seasons where league_id = ${privateLeague}`.execute(tx))
        .rows.length,
      divisions: (
        await sql`select id from divisions where season_id = ${privateSeason}`.execute(tx)
      ).rows.length,
      teams: (await sql`select id from teams where division_id = ${privateDivision}`.execute(tx))
        .rows.length,
      members: (
        await sql`select user_id from team_members where team_id = ${privateTeam}`.execute(tx)
      ).rows.length,
    }));
  }

  it('a private league and everything in it is invisible to outsiders and to the signed out', async () => {
    const nothing = {
      leagues: 0,
      organizers: 0,
      seasons: 0,
      divisions: 0,
      teams: 0,
      members: 0,
    };
    expect(await privateLeagueSeenBy(owen)).toEqual(nothing);
    expect(await privateLeagueSeenBy(ivy)).toEqual(nothing);
    expect(await privateLeagueSeenBy(null)).toEqual(nothing);
  });

  it('a private league is visible to its organizer and to the members of its teams', async () => {
    const everything = {
      leagues: 1,
      organizers: 1,
      seasons: 1,
      divisions: 1,
      teams: 1,
      members: 2,
    };
    expect(await privateLeagueSeenBy(olga)).toEqual(everything);
    expect(await privateLeagueSeenBy(cara)).toEqual(everything);
    expect(await privateLeagueSeenBy(pat)).toEqual(everything);
  });

  it('a public league, its teams and rosters are visible to anyone, signed out too', async () => {
    for (const userId of [owen, pat, null]) {
      const seen = await db.withUser(userId, async (tx) => ({
        league: (await sql`select id from leagues where id = ${publicLeague}`.execute(tx)).rows,
        divisions: (
          await sql`select d.id from divisions d join seasons s on s.id = d.season_id
            where s.league_id = ${publicLeague}`.execute(tx)
        ).rows.length,
        team: (
          await sql<{ name: string }>`select name from teams where id = ${publicTeam}`.execute(tx)
        ).rows,
        members: (
          await sql`select user_id from team_members where team_id = ${publicTeam}`.execute(tx)
        ).rows.length,
      }));
      expect(seen).toEqual({
        league: [{ id: publicLeague }],
        divisions: 2,
        team: [{ name: 'Public Smashers' }],
        members: 1,
      });
    }
  });

  it('only users with the organizer role can create a league', async () => {
    const insertLeague = (userId: string) =>
      db.withUser(userId, (tx) =>
        sql`insert into leagues (name, sport, visibility, format, roster_min, roster_max, created_by)
          values ('Sneaky league', 'tennis', 'public', ${JSON.stringify(DEFAULT_MATCH_FORMAT)},
            1, 4, ${userId})`.execute(tx),
      );
    await expect(insertLeague(ivy)).rejects.toMatchObject({ code: '42501' });
    await expect(insertLeague(owen)).rejects.toMatchObject({ code: '42501' });
    const sneaky = () =>
      db.owner.selectFrom('leagues').select('createdBy').where('name', '=', 'Sneaky league');
    expect(await sneaky().execute()).toEqual([]);

    await insertLeague(olga);
    expect(await sneaky().execute()).toEqual([{ createdBy: olga }]);
  });

  it('an outsider cannot change or delete a league, nor add seasons or divisions to it', async () => {
    for (const league of [publicLeague, privateLeague]) {
      const changed = await db.withUser(owen, async (tx) => ({
        update: await sql`update leagues set name = 'Hijacked' where id = ${league}`.execute(tx),
        remove: await sql`delete from leagues where id = ${league}`.execute(tx),
      }));
      expect(changed.update.numAffectedRows).toBe(0n);
      expect(changed.remove.numAffectedRows).toBe(0n);
      await expect(
        db.withUser(owen, (tx) =>
          sql`insert into seasons (league_id, name, starts_on, ends_on)
            values (${league}, 'Rogue season', '2027-01-01', '2027-02-01')`.execute(tx),
        ),
      ).rejects.toMatchObject({ code: '42501' });
    }
    const [publicSeason] = await db.owner
      .selectFrom('seasons')
      .select('id')
      .where('leagueId', '=', publicLeague)
      .execute();
    for (const season of [publicSeason?.id, privateSeason]) {
      await expect(
        db.withUser(owen, (tx) =>
          sql`insert into divisions (season_id, name) values (${season}, 'Rogue')`.execute(tx),
        ),
      ).rejects.toMatchObject({ code: '42501' });
    }
    const names = await db.owner
      .selectFrom('leagues')
      .select('name')
      .where('id', 'in', [publicLeague, privateLeague])
      .orderBy('name')
      .execute();
    expect(names).toEqual([{ name: 'private league' }, { name: 'public league' }]);
    expect(
      await db.owner
        .selectFrom('seasons')
        .select('id')
        .where('name', '=', 'Rogue season')
        .execute(),
    ).toEqual([]);
    expect(
      await db.owner.selectFrom('divisions').select('id').where('name', '=', 'Rogue').execute(),
    ).toEqual([]);
  });

  it('a captain-role user adds a team only to a division they can see that is open for registration', async () => {
    const insertTeam = (division: string, name: string) =>
      db.withUser(owen, (tx) =>
        sql`insert into teams (division_id, name, created_by)
          values (${division}, ${name}, ${owen})`.execute(tx),
      );
    await expect(insertTeam(closedDivision, 'Too Late')).rejects.toMatchObject({ code: '42501' });
    await expect(insertTeam(privateDivision, 'Gatecrashers')).rejects.toMatchObject({
      code: '42501',
    });
    await insertTeam(openDivision, 'Owen Open');
    const teams = await db.owner
      .selectFrom('teams')
      .select(['name', 'divisionId'])
      .where('createdBy', '=', owen)
      .execute();
    expect(teams).toEqual([{ name: 'Owen Open', divisionId: openDivision }]);
  });

  it("a captain-role user cannot make themselves captain of someone else's team", async () => {
    await expect(
      db.withUser(owen, (tx) =>
        sql`insert into team_members (team_id, user_id, role)
          values (${publicTeam}, ${owen}, 'captain')`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // Nor can a plain member promote themselves.
    const promote = await db.withUser(pat, (tx) =>
      sql`update team_members set role = 'captain' where team_id = ${privateTeam}
        and user_id = ${pat}`.execute(tx),
    );
    expect(promote.numAffectedRows).toBe(0n);
    expect(await rosterOf(publicTeam)).toEqual([{ userId: expect.any(String), role: 'captain' }]);
    expect(await rosterOf(privateTeam)).toEqual([
      { userId: cara, role: 'captain' },
      { userId: pat, role: 'player' },
    ]);
  });

  it('a co-captain can neither demote the captain nor take the captaincy; the captain hands it over', async () => {
    const captain = await seedUser('Cap Tain', 'captain');
    const deputy = await seedUser('Dep Uty', 'player');
    const { divisionId } = await seedDivision(await seedLeague('public'), true);
    const team = await seedTeam(divisionId, 'Handover Team', captain);
    await db.owner
      .insertInto('teamMembers')
      .values({ teamId: team, userId: deputy, role: 'co_captain' })
      .execute();
    const demote = await db.withUser(deputy, (tx) =>
      sql`update team_members set role = 'player' where team_id = ${team}
        and user_id = ${captain}`.execute(tx),
    );
    expect(demote.numAffectedRows).toBe(0n);
    const seized = await db.withUser(deputy, (tx) =>
      sql<{ ok: boolean }>`select app_hand_over_captaincy(${team}, ${deputy}) as ok`.execute(tx),
    );
    expect(seized.rows[0]?.ok).toBe(false);
    expect(await rosterOf(team)).toEqual(
      expect.arrayContaining([
        { userId: captain, role: 'captain' },
        { userId: deputy, role: 'co_captain' },
      ]),
    );
    const handed = await db.withUser(captain, (tx) =>
      sql<{ ok: boolean }>`select app_hand_over_captaincy(${team}, ${deputy}) as ok`.execute(tx),
    );
    expect(handed.rows[0]?.ok).toBe(true);
    expect(await rosterOf(team)).toEqual(
      expect.arrayContaining([
        { userId: captain, role: 'co_captain' },
        { userId: deputy, role: 'captain' },
      ]),
    );
  });

  it('nobody joins a roster without an open invite, and an invite admits a player only', async () => {
    const joiner = await seedUser('Jo Joiner', 'player');
    const open = await seedInvite(privateTeam);
    const revoked = await seedInvite(privateTeam, { revoked: true });
    const expired = await seedInvite(privateTeam, { expired: true });
    const otherTeams = await seedInvite(publicTeam);
    const join = (role: string) => (tx: Tx) =>
      sql`insert into team_members (team_id, user_id, role)
        values (${privateTeam}, ${joiner}, ${role})`.execute(tx);

    await expect(db.withUser(joiner, join('player'))).rejects.toMatchObject({ code: '42501' });
    for (const hash of [revoked.hash, expired.hash, otherTeams.hash, 'no-such-hash']) {
      await expect(withToken(joiner, hash, join('player'))).rejects.toMatchObject({
        code: '42501',
      });
    }
    for (const role of ['captain', 'co_captain']) {
      await expect(withToken(joiner, open.hash, join(role))).rejects.toMatchObject({
        code: '42501',
      });
    }
    // The token admits its holder only: not someone else added in their name.
    await expect(
      withToken(joiner, open.hash, (tx) =>
        sql`insert into team_members (team_id, user_id, role)
          values (${privateTeam}, ${ivy}, 'player')`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    expect(await rosterOf(privateTeam)).toHaveLength(2);

    await withToken(joiner, open.hash, join('player'));
    expect(await rosterOf(privateTeam)).toEqual([
      { userId: cara, role: 'captain' },
      { userId: pat, role: 'player' },
      { userId: joiner, role: 'player' },
    ]);
    await db.owner
      .deleteFrom('teamMembers')
      .where('teamId', '=', privateTeam)
      .where('userId', '=', joiner)
      .execute();
  });

  it("a token holder cannot reopen a revoked invite or give back an invite's uses", async () => {
    const revoked = await seedInvite(privateTeam, { revoked: true });
    const open = await seedInvite(privateTeam);
    await db.owner.updateTable('teamInvites').set({ uses: 10 }).where('id', '=', open.id).execute();
    const holder = await seedUser('Hal Holder', 'player');

    // Refused or silently skipped: either way the rows must not change.
    const attempt = (hash: string, statement: ReturnType<typeof sql>) =>
      withToken(holder, hash, (tx) => statement.execute(tx)).catch(() => undefined);
    await attempt(
      revoked.hash,
      sql`update team_invites set revoked_at = null where token_hash = ${revoked.hash}`,
    );
    await attempt(open.hash, sql`update team_invites set uses = 0 where token_hash = ${open.hash}`);
    const after = await db.owner
      .selectFrom('teamInvites')
      .select(['id', 'uses', 'revokedAt'])
      .where('id', 'in', [revoked.id, open.id])
      .execute();
    expect({
      stillRevoked: after.find((i) => i.id === revoked.id)?.revokedAt instanceof Date,
      uses: after.find((i) => i.id === open.id)?.uses,
    }).toEqual({ stillRevoked: true, uses: 10 });
  });

  it('invites are hidden from non-captains; a token holder sees only their own', async () => {
    const mine = await seedInvite(privateTeam);
    const invitesSeen = (userId: string, hash?: string) => {
      const select = (tx: Tx) =>
        sql<{ id: string }>`select id from team_invites where team_id = ${privateTeam}`
          .execute(tx)
          .then((r) => r.rows.map((row) => row.id));
      return hash ? withToken(userId, hash, select) : db.withUser(userId, select);
    };
    const all = await db.owner
      .selectFrom('teamInvites')
      .select('id')
      .where('teamId', '=', privateTeam)
      .execute();
    expect(all.length).toBeGreaterThan(1);

    expect(await invitesSeen(pat)).toEqual([]);
    expect(await invitesSeen(owen)).toEqual([]);
    expect((await invitesSeen(cara)).sort()).toEqual(all.map((i) => i.id).sort());
    expect((await invitesSeen(olga)).sort()).toEqual(all.map((i) => i.id).sort());
    expect(await invitesSeen(owen, mine.hash)).toEqual([mine.id]);
  });

  it('the people view shows visible teammates by name only, and nothing of a private league to outsiders', async () => {
    const columns = await sql<{ columnName: string }>`select column_name
      from information_schema.columns where table_name = 'people' order by column_name`.execute(
      db.owner,
    );
    expect(columns.rows.map((c) => c.columnName)).toEqual(['display_name', 'user_id']);
    await expect(
      db.withUser(pat, (tx) => sql`select email from people`.execute(tx)),
    ).rejects.toMatchObject({ code: '42703' });

    const namesSeenBy = async (userId: string | null) =>
      db.withUser(userId, async (tx) =>
        (
          await sql<{ displayName: string }>`select display_name from people
            order by display_name`.execute(tx)
        ).rows.map((r) => r.displayName),
      );
    const patSees = await namesSeenBy(pat);
    expect(patSees).toEqual(
      expect.arrayContaining(['Cara Captain', 'Olga Organizer', 'Pat Player']),
    );
    expect(patSees).not.toContain('Ivy Outsider');

    const owenSees = await namesSeenBy(owen);
    expect(owenSees).not.toContain('Cara Captain');
    expect(owenSees).not.toContain('Pat Player');
    expect(owenSees).toEqual(expect.arrayContaining(['Owen Outsider', 'Cody Captain']));
    expect(await namesSeenBy(null)).not.toContain('Pat Player');
  });

  it('a member can take only their own row off the roster', async () => {
    const leaver = await seedUser('Lee Leaver', 'player');
    await db.owner
      .insertInto('teamMembers')
      .values({ teamId: privateTeam, userId: leaver, role: 'player' })
      .execute();

    const others = await db.withUser(leaver, (tx) =>
      sql`delete from team_members where team_id = ${privateTeam} and user_id <> ${leaver}`.execute(
        tx,
      ),
    );
    expect(others.numAffectedRows).toBe(0n);
    const own = await db.withUser(leaver, (tx) =>
      sql`delete from team_members where team_id = ${privateTeam} and user_id = ${leaver}`.execute(
        tx,
      ),
    );
    expect(own.numAffectedRows).toBe(1n);
    expect(await rosterOf(privateTeam)).toEqual([
      { userId: cara, role: 'captain' },
      { userId: pat, role: 'player' },
    ]);
  });
});
