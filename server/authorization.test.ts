import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { keyedHash } from './plugins/tokens';
import { Agent, buildProfile, startTestApp, type TestApp } from './test/app';
import { TEST_DATABASES } from './test/databases';
import { insertDivision, insertLeagueWithDivision, insertTeam } from './test/rls-fixtures';

type Role = 'organizer' | 'captain' | 'member' | 'other' | 'anonymous';
const ROLES: Role[] = ['anonymous', 'other', 'member', 'captain', 'organizer'];

interface Fixture {
  league: string;
  season: string;
  division: string;
  emptyDivision: string;
  team: string;
  invite: string;
  otherTeam: string;
  otherInvite: string;
  venue: string;
  match: string;
  secondTeam: string;
  /** A played match (team v second team) with no result yet. */
  pastMatch: string;
  /** A played match whose result the team's captain entered; the second team answers it. */
  pendingMatch: string;
  /** A pending invitation to co-organize the league, addressed to the member's e-mail. */
  organizerInvite: string;
}

const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
/** The first Saturday from ten days ahead: the fixture's venue is open on Saturdays only. */
const saturdayAhead = (() => {
  const day = new Date(Date.now() + 10 * 86_400_000);
  day.setUTCDate(day.getUTCDate() + ((6 - day.getUTCDay() + 7) % 7));
  return day.toISOString().slice(0, 10);
})();

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (f: Fixture, ids: Record<Role, string>) => string;
  body?: (f: Fixture, ids: Record<Role, string>) => unknown;
  /** Expected status per role, for a private and a public league (same unless given twice). */
  expect: Record<Role, number | [privateLeague: number, publicLeague: number]>;
}

const team = { name: 'Fresh Team' };
/** One line of a result: valid in shape, one line short of the league's format (400 once past authorization). */
const oneLine = (f: Fixture, ids: Record<Role, string>) => [
  {
    kind: 'singles',
    line: 1,
    homePlayers: [ids.captain],
    awayPlayers: [ids.organizer],
    sets: [
      { home: 6, away: 1 },
      { home: 6, away: 1 },
    ],
  },
];
const CASES: Case[] = [
  // Standings and stats first: reading player_ratings costs app_visible_players(), which
  // grows with every team in the database, and each case below adds teams.
  {
    name: "read a division's standings",
    method: 'GET',
    url: (f) => `/api/divisions/${f.division}/standings`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: "read a team's stats",
    method: 'GET',
    url: (f) => `/api/teams/${f.team}/stats`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: "read a player's page",
    method: 'GET',
    url: (_f, ids) => `/api/players/${ids.member}`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: "read a league's leaderboard",
    method: 'GET',
    url: (f) => `/api/leaderboards?leagueId=${f.league}&kind=doubles`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: 'list leagues',
    method: 'GET',
    url: () => '/api/leagues',
    expect: { organizer: 200, captain: 200, member: 200, other: 200, anonymous: 200 },
  },
  {
    name: 'create a league',
    method: 'POST',
    url: () => '/api/leagues',
    body: () => ({
      name: 'New League',
      sport: 'padel',
      visibility: 'public',
      format: DEFAULT_MATCH_FORMAT,
      rosterMin: 2,
      rosterMax: 8,
    }),
    expect: { organizer: 201, captain: 403, member: 403, other: 201, anonymous: 401 },
  },
  {
    name: 'read a league',
    method: 'GET',
    url: (f) => `/api/leagues/${f.league}`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: 'change a league',
    method: 'PATCH',
    url: (f) => `/api/leagues/${f.league}`,
    body: () => ({ description: 'Changed' }),
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'delete a league that has teams',
    method: 'DELETE',
    url: (f) => `/api/leagues/${f.league}`,
    expect: { organizer: 409, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'invite a co-organizer',
    method: 'POST',
    url: (f) => `/api/leagues/${f.league}/organizers`,
    body: () => ({ email: 'member@example.com' }),
    expect: { organizer: 202, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "list a league's invitations to co-organize",
    method: 'GET',
    url: (f) => `/api/leagues/${f.league}/organizer-invites`,
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'withdraw an invitation to co-organize',
    method: 'DELETE',
    url: (f) => `/api/leagues/${f.league}/organizer-invites/${f.organizerInvite}`,
    expect: { organizer: 204, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    // Addressed to the member: nobody else may answer it, not even the league's organizer.
    name: 'accept an invitation to co-organize',
    method: 'POST',
    url: (f) => `/api/organizer-invites/${f.organizerInvite}/accept`,
    expect: { organizer: 404, captain: 404, member: 200, other: 404, anonymous: 401 },
  },
  {
    name: 'decline an invitation to co-organize',
    method: 'POST',
    url: (f) => `/api/organizer-invites/${f.organizerInvite}/decline`,
    expect: { organizer: 404, captain: 404, member: 204, other: 404, anonymous: 401 },
  },
  {
    name: 'add a season',
    method: 'POST',
    url: (f) => `/api/leagues/${f.league}/seasons`,
    body: () => ({ name: 'Autumn', startsOn: '2027-09-01', endsOn: '2027-11-30' }),
    expect: { organizer: 201, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'change a season',
    method: 'PATCH',
    url: (f) => `/api/seasons/${f.season}`,
    body: () => ({ registrationOpen: false }),
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'add a division',
    method: 'POST',
    url: (f) => `/api/seasons/${f.season}/divisions`,
    body: () => ({ name: 'Div 3' }),
    expect: { organizer: 201, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'delete an empty division',
    method: 'DELETE',
    url: (f) => `/api/divisions/${f.emptyDivision}`,
    expect: { organizer: 204, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "list a division's teams",
    method: 'GET',
    url: (f) => `/api/divisions/${f.division}/teams`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: 'create a team',
    method: 'POST',
    url: (f) => `/api/divisions/${f.division}/teams`,
    body: () => team,
    // Registration is open: any captain or organizer may enter a team in a public league.
    expect: { organizer: 201, captain: 201, member: 403, other: [404, 201], anonymous: 401 },
  },
  {
    name: 'read a team',
    method: 'GET',
    url: (f) => `/api/teams/${f.team}`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: 'change a team',
    method: 'PATCH',
    url: (f) => `/api/teams/${f.team}`,
    body: () => ({ homeVenue: 'Court 9' }),
    expect: { organizer: 200, captain: 200, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'delete a team',
    method: 'DELETE',
    url: (f) => `/api/teams/${f.team}`,
    expect: { organizer: 204, captain: 204, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "set a member's status",
    method: 'PATCH',
    url: (f, ids) => `/api/teams/${f.team}/members/${ids.member}`,
    body: () => ({ status: 'injured' }),
    expect: { organizer: 200, captain: 200, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'remove a member (the member: leave)',
    method: 'DELETE',
    url: (f, ids) => `/api/teams/${f.team}/members/${ids.member}`,
    expect: { organizer: 204, captain: 204, member: 204, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'hand over the captaincy',
    method: 'POST',
    url: (f) => `/api/teams/${f.team}/captain`,
    body: (_f, ids) => ({ userId: ids.member }),
    expect: { organizer: 200, captain: 200, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "list a team's invites",
    method: 'GET',
    url: (f) => `/api/teams/${f.team}/invites`,
    expect: { organizer: 200, captain: 200, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'create an invite',
    method: 'POST',
    url: (f) => `/api/teams/${f.team}/invites`,
    body: () => ({ kind: 'link' }),
    expect: { organizer: 201, captain: 201, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'withdraw an invite',
    method: 'DELETE',
    url: (f) => `/api/teams/${f.team}/invites/${f.invite}`,
    expect: { organizer: 204, captain: 204, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'my teams',
    method: 'GET',
    url: () => '/api/me/teams',
    expect: { organizer: 200, captain: 200, member: 200, other: 200, anonymous: 401 },
  },
  {
    name: "list a league's venues",
    method: 'GET',
    url: (f) => `/api/leagues/${f.league}/venues`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: 'add a venue',
    method: 'POST',
    url: (f) => `/api/leagues/${f.league}/venues`,
    body: () => ({
      name: 'New Courts',
      courts: 2,
      availability: [{ weekday: 'sat', from: '09:00', to: '17:00' }],
    }),
    expect: { organizer: 201, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'change a venue',
    method: 'PATCH',
    url: (f) => `/api/venues/${f.venue}`,
    body: () => ({ courts: 3 }),
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'draft a schedule',
    method: 'POST',
    url: (f) => `/api/divisions/${f.division}/schedule/draft`,
    body: (f) => ({
      startsOn: inTenDays,
      endsOn: '2099-12-31',
      matchDays: ['sat'],
      timeSlots: ['10:00'],
      matchMinutes: 120,
      courtsPerMatch: 1,
      homeVenues: [
        { teamId: f.team, venueId: f.venue },
        { teamId: f.secondTeam, venueId: f.venue },
      ],
    }),
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "list a division's matches",
    method: 'GET',
    url: (f) => `/api/divisions/${f.division}/matches`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: 'postpone a match',
    method: 'POST',
    url: (f) => `/api/matches/${f.match}/postpone`,
    body: () => ({ date: saturdayAhead, startTime: '11:00' }),
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'cancel a match',
    method: 'POST',
    url: (f) => `/api/matches/${f.match}/cancel`,
    body: () => ({ reason: 'Rained off' }),
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'read a match',
    method: 'GET',
    url: (f) => `/api/matches/${f.match}`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: "read a match's history",
    method: 'GET',
    url: (f) => `/api/matches/${f.match}/history`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    name: "read a match's result",
    method: 'GET',
    url: (f) => `/api/matches/${f.pendingMatch}/result`,
    expect: { organizer: 200, captain: 200, member: 200, other: [404, 200], anonymous: [404, 200] },
  },
  {
    // The second team's captain is the organizer: both captains pass to the score's own check.
    name: 'enter a result',
    method: 'PUT',
    url: (f) => `/api/matches/${f.pastMatch}/result`,
    body: (f, ids) => ({ lines: oneLine(f, ids) }),
    expect: { organizer: 400, captain: 400, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "confirm the other team's result",
    method: 'POST',
    url: (f) => `/api/matches/${f.pendingMatch}/result/confirm`,
    expect: { organizer: 200, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "dispute the other team's result",
    method: 'POST',
    url: (f) => `/api/matches/${f.pendingMatch}/result/dispute`,
    body: (f, ids) => ({ comment: 'Not the score we played', lines: oneLine(f, ids) }),
    expect: { organizer: 400, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'settle a result',
    method: 'POST',
    url: (f) => `/api/matches/${f.pendingMatch}/result/settle`,
    body: (f, ids) => ({ comment: 'Settled by phone', lines: oneLine(f, ids) }),
    expect: { organizer: 400, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: 'correct a result',
    method: 'POST',
    url: (f) => `/api/matches/${f.pendingMatch}/result/correct`,
    body: (f, ids) => ({ reason: 'Entered the wrong way round', lines: oneLine(f, ids) }),
    expect: { organizer: 409, captain: 403, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "subscribe to a team's calendar",
    method: 'POST',
    url: (f) => `/api/teams/${f.team}/calendar`,
    expect: { organizer: 403, captain: 201, member: 201, other: [404, 403], anonymous: 401 },
  },
  // Ids that belong together only in another league or team.
  {
    name: "withdraw another team's invite through this team",
    method: 'DELETE',
    url: (f) => `/api/teams/${f.team}/invites/${f.otherInvite}`,
    expect: { organizer: 404, captain: 404, member: 403, other: [404, 403], anonymous: 401 },
  },
  {
    name: "change a member's status through a team they are not on",
    method: 'PATCH',
    url: (f, ids) => `/api/teams/${f.otherTeam}/members/${ids.member}`,
    body: () => ({ status: 'injured' }),
    // The other league's own captain is told the person is not on that team.
    expect: {
      organizer: [404, 403],
      captain: [404, 403],
      member: [404, 403],
      other: 404,
      anonymous: 401,
    },
  },
  {
    name: 'hand the captaincy to somebody of another team',
    method: 'POST',
    url: (f) => `/api/teams/${f.team}/captain`,
    body: (_f, ids) => ({ userId: ids.other }),
    expect: { organizer: 404, captain: 404, member: 403, other: [404, 403], anonymous: 401 },
  },
];

describe.each(TEST_DATABASES)('authorization matrix on %s', (kind) => {
  let t: TestApp;
  const agents = {} as Record<Role, Agent>;
  const ids = {} as Record<Role, string>;

  async function signUp(role: Role, appRole: 'organizer' | 'captain' | 'player') {
    const agent = new Agent(t.app);
    await agent.prime();
    await agent.send('POST', '/api/auth/demo', { user: 'new' });
    await agent.send('PUT', '/api/me/profile', buildProfile({ displayName: `The ${role}` }));
    const me = await agent.send('PUT', '/api/me/role', { role: appRole });
    expect(me.statusCode).toBe(200);
    agents[role] = agent;
    ids[role] = me.json().id;
    // Each has a verified address, so that invitations to co-organize can reach them.
    await t.app.db.owner
      .updateTable('users')
      .set({ email: `${role}@example.com`, emailVerified: true })
      .where('id', '=', ids[role])
      .execute();
  }

  /** Fresh rows for one case, written on the owner connection so that setup is not under test. */
  async function fixture(visibility: 'private' | 'public'): Promise<Fixture> {
    const db = t.app.db.owner;
    const insertLeagueOf = async (owner: string) => {
      const { leagueId, seasonId, divisionId } = await insertLeagueWithDivision(db, {
        name: `League ${randomUUID().slice(0, 8)}`,
        visibility,
        rosterMax: 10,
        createdBy: owner,
        season: { name: 'Spring', startsOn: '2027-03-01', endsOn: '2027-06-30' },
        division: 'Div 1',
      });
      return {
        league: leagueId,
        season: seasonId,
        division: divisionId,
        emptyDivision: await insertDivision(db, seasonId, 'Div 2'),
      };
    };
    const insertTeamWithInvite = async (division: string, captain: string, players: string[]) => {
      const team = await insertTeam(db, division, {
        name: `Team ${randomUUID().slice(0, 8)}`,
        createdBy: captain,
        players,
      });
      const invite = await db
        .insertInto('teamInvites')
        .values({
          teamId: team,
          tokenHash: keyedHash(t.config.sessionSecret, 'invite', randomUUID()),
          kind: 'link',
          maxUses: 5,
          expiresAt: new Date(Date.now() + 86_400_000),
          createdBy: captain,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { team, invite: invite.id };
    };
    const mine = await insertLeagueOf(ids.organizer);
    const { team: teamId, invite } = await insertTeamWithInvite(mine.division, ids.captain, [
      ids.member,
    ]);
    const theirs = await insertLeagueOf(ids.other);
    const other = await insertTeamWithInvite(theirs.division, ids.other, []);
    const second = await insertTeamWithInvite(mine.division, ids.organizer, []);
    const venue = await db
      .insertInto('venues')
      .values({
        leagueId: mine.league,
        name: 'Main Courts',
        courts: 4,
        availability: JSON.stringify([{ weekday: 'sat', from: '09:00', to: '17:00' }]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const match = await db
      .insertInto('matches')
      .values({
        divisionId: mine.division,
        round: 1,
        homeTeamId: teamId,
        awayTeamId: second.team,
        venueId: venue.id,
        matchDate: inTenDays,
        startTime: '10:00',
        durationMinutes: 120,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const played = await db
      .insertInto('matches')
      .values(
        ['2026-09-01', '2026-09-08'].map((date) => ({
          divisionId: mine.division,
          homeTeamId: teamId,
          awayTeamId: second.team,
          matchDate: date,
          startTime: '10:00',
          durationMinutes: 120,
        })),
      )
      .returning('id')
      .execute();
    const [pastMatch, pendingMatch] = played.map((m) => m.id) as [string, string];
    const organizerInvite = await db
      .insertInto('leagueOrganizerInvites')
      .values({
        leagueId: mine.league,
        email: 'member@example.com',
        invitedBy: ids.organizer,
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('matchResults')
      .values({
        matchId: pendingMatch,
        divisionId: mine.division,
        status: 'pending',
        lines: '[]',
        totals: JSON.stringify({
          winner: 'tie',
          linesHome: 0,
          linesAway: 0,
          setsHome: 0,
          setsAway: 0,
          gamesHome: 0,
          gamesAway: 0,
        }),
        enteredTeamId: teamId,
        enteredBy: ids.captain,
        confirmBy: new Date(Date.now() + 86_400_000),
      })
      .execute();
    return {
      ...mine,
      pastMatch,
      pendingMatch,
      team: teamId,
      invite,
      otherTeam: other.team,
      otherInvite: other.invite,
      organizerInvite: organizerInvite.id,
      venue: venue.id,
      match: match.id,
      secondTeam: second.team,
    };
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
    await signUp('organizer', 'organizer');
    await signUp('captain', 'captain');
    await signUp('member', 'player');
    await signUp('other', 'organizer');
    agents.anonymous = new Agent(t.app);
    await agents.anonymous.prime();
  });
  afterAll(async () => t?.close());

  for (const visibility of ['private', 'public'] as const) {
    for (const c of CASES) {
      it(`${c.method} ${c.name} in a ${visibility} league`, async () => {
        const got: Partial<Record<Role, number>> = {};
        const want: Partial<Record<Role, number>> = {};
        for (const role of ROLES) {
          const f = await fixture(visibility);
          const response = await agents[role].request({
            method: c.method,
            url: c.url(f, ids),
            ...(c.body ? { payload: c.body(f, ids) as object } : {}),
          });
          got[role] = response.statusCode;
          const expected = c.expect[role];
          want[role] = Array.isArray(expected)
            ? expected[visibility === 'private' ? 0 : 1]
            : expected;
          if (response.statusCode >= 400) {
            expect(response.headers['content-type']).toContain('application/problem+json');
          }
        }
        expect(got).toEqual(want);
      });
    }
  }
});
