import { todayIn } from '#domain/rules/dates';
import { generateSchedule } from '#domain/rules/schedule';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { ScheduleInput } from '#domain/schemas/schedule';
import type { Level } from '#domain/schemas/me';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { DEMO_ISSUER, DEMO_USERS } from '../modules/auth';
import { addMatches } from '../modules/matches';
import { rerateFrom } from '../modules/ratings';
import { recordAgreedResult } from '../modules/results';
import { draftMatchRow } from '../modules/schedule';
import { demoLines, randomSource, trueSkill } from './demo-results';

const FIRST = ['Ava', 'Ben', 'Chloe', 'Diego', 'Elena', 'Farid', 'Grace', 'Hiro', 'Isla', 'Jonas'];
const LAST = ['Novak', 'Okafor', 'Park', 'Quinn', 'Reyes', 'Singh', 'Tanaka'];

/**
 * Generated players with a spread of levels: eight a team (the demo captain and player take two
 * places on theirs), enough for two singles and three doubles lines.
 */
const DEMO_PLAYERS = Array.from({ length: 64 }, (_, i) => ({
  key: `player-${String(i + 1).padStart(2, '0')}`,
  displayName: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length)]}`,
  level: (['novice', 'intermediate', 'advanced'] as const)[i % 3],
}));

const DEMO_LEAGUE = 'Riverside Tennis League';
/**
 * The demo league plays in New York (issue #5): its match dates and times are that wall clock,
 * "today" for it is the date there, and its calendar feeds give UTC instants from it.
 */
const DEMO_TIME_ZONE = 'America/New_York';
const DEMO_DIVISIONS = [
  { name: 'Division A (4.0+)', levelMin: 4, levelMax: null },
  { name: 'Division B (3.0–3.5)', levelMin: 3, levelMax: 3.5 },
];
/** The demo clubs' courts: weeknights and Saturday mornings. */
const DEMO_VENUE_HOURS = [
  { weekday: 'tue' as const, from: '18:00', to: '22:00' },
  { weekday: 'thu' as const, from: '18:00', to: '22:00' },
  { weekday: 'sat' as const, from: '09:00', to: '13:00' },
];

const DEMO_TEAMS = [
  { name: 'Riverside Aces', venue: 'Riverside Racquet Club', colours: ['#0b5d4b', '#f2c14e'] },
  { name: 'Hillcrest Smashers', venue: 'Hillcrest Tennis Center', colours: ['#7a1f3d', '#ffffff'] },
  { name: 'Lakeside Lobbers', venue: 'Lakeside Park Courts', colours: ['#1d4e89', '#f7f7f7'] },
  { name: 'Northgate Netters', venue: 'Northgate Sports Hall', colours: ['#3b3b3b', '#e4572e'] },
  { name: 'Oak Street Volley', venue: 'Oak Street Courts', colours: ['#2e7d32', '#fbc02d'] },
  { name: 'Baseline Bandits', venue: 'Riverside Racquet Club', colours: ['#6a1b9a', '#ffd54f'] },
  { name: 'Drop Shot Dynamos', venue: 'Hillcrest Tennis Center', colours: ['#c62828', '#263238'] },
  { name: 'Tiebreak Titans', venue: 'Lakeside Park Courts', colours: ['#00838f', '#ffffff'] },
];

/**
 * Loads the demo data: the demo accounts, and a public league of two divisions, eight teams and
 * forty players in which the demo organizer runs the league, the demo captain captains the
 * first team of division B and the demo player plays on it. Idempotent: a second run adds nothing.
 */
/** The id of the demo user signed in as `key` (`organizer`, `captain`, `player-01` …). */
export async function demoUserId(db: Kysely<DB>, key: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('oidcIssuer', '=', DEMO_ISSUER)
    .where('oidcSubject', '=', key)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The ids of the generated demo players (`player-01` …), not the organizer, captain or player. */
export async function demoPlayerIds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('oidcIssuer', '=', DEMO_ISSUER)
    .where('oidcSubject', 'like', 'player-%')
    .orderBy('oidcSubject')
    .execute();
  return rows.map((r) => r.id);
}

export async function seedDemo(database: Database): Promise<void> {
  await seedDemoUsers(database);
  await seedDemoLeague(database);
}

async function seedDemoUsers(database: Database): Promise<void> {
  await database.owner.transaction().execute(async (tx) => {
    for (const demo of DEMO_USERS) {
      const user = await tx
        .insertInto('users')
        .values({
          oidcIssuer: DEMO_ISSUER,
          oidcSubject: demo.key,
          email: `${demo.key}@demo.rally.invalid`,
          emailVerified: true,
          role: demo.role,
          isDemo: true,
        })
        .onConflict((oc) => oc.columns(['oidcIssuer', 'oidcSubject']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!user) continue;
      await tx
        .insertInto('profiles')
        .values({
          userId: user.id,
          displayName: demo.profile.displayName,
          phone: demo.profile.phone,
          cityOrClub: demo.profile.cityOrClub,
          sports: JSON.stringify(demo.profile.sports),
        })
        .execute();
    }
  });
}

async function seedDemoLeague(database: Database): Promise<void> {
  await database.owner.transaction().execute(async (tx) => {
    const organizer = await demoUserId(tx, 'organizer');
    // Any league of the demo organizer means the demo was seeded (it may have been renamed).
    const existing = await tx
      .selectFrom('leagues')
      .select('id')
      .where('createdBy', '=', organizer)
      .executeTakeFirst();
    if (existing) return;

    const players: string[] = [];
    for (const [i, p] of DEMO_PLAYERS.entries()) {
      const user = await tx
        .insertInto('users')
        .values({
          oidcIssuer: DEMO_ISSUER,
          oidcSubject: p.key,
          email: `${p.key}@demo.rally.invalid`,
          emailVerified: true,
          role: i % 5 === 0 ? 'captain' : 'player',
          isDemo: true,
        })
        .onConflict((oc) => oc.columns(['oidcIssuer', 'oidcSubject']).doUpdateSet({ isDemo: true }))
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('profiles')
        .values({
          userId: user.id,
          displayName: p.displayName,
          phone: null,
          cityOrClub: 'Riverside',
          sports: JSON.stringify([{ sport: 'tennis', level: p.level }]),
        })
        .onConflict((oc) => oc.column('userId').doNothing())
        .execute();
      players.push(user.id);
    }

    const league = await tx
      .insertInto('leagues')
      .values({
        name: DEMO_LEAGUE,
        sport: 'tennis',
        description:
          'A friendly weeknight league: two singles and three doubles lines a match, ' +
          'home and away across four clubs.',
        visibility: 'public',
        format: JSON.stringify(DEFAULT_MATCH_FORMAT),
        rosterMin: 4,
        rosterMax: 10,
        timeZone: DEMO_TIME_ZONE,
        createdBy: organizer,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('leagueOrganizers')
      .values({ leagueId: league.id, userId: organizer, role: 'owner' })
      .execute();
    const today = new Date();
    const day = (offset: number) =>
      new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const season = await tx
      .insertInto('seasons')
      .values({
        leagueId: league.id,
        name: `Season ${today.getUTCFullYear()}`,
        startsOn: day(-28),
        endsOn: day(84),
        registrationOpen: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const divisions = await tx
      .insertInto('divisions')
      .values(
        DEMO_DIVISIONS.map((d) => ({
          seasonId: season.id,
          name: d.name,
          levelMin: d.levelMin,
          levelMax: d.levelMax,
        })),
      )
      .returning('id')
      .execute();

    const clubs = [...new Set(DEMO_TEAMS.map((t) => t.venue))];
    const venues = await tx
      .insertInto('venues')
      .values(
        clubs.map((name) => ({
          leagueId: league.id,
          name,
          address: null,
          courts: 6,
          availability: JSON.stringify(DEMO_VENUE_HOURS),
        })),
      )
      .returning(['id', 'name'])
      .execute();
    const venueOf = new Map(venues.map((v) => [v.name, v.id]));

    const captain = await demoUserId(tx, 'captain');
    const player = await demoUserId(tx, 'player');
    const teamsByDivision = new Map<string, { id: string; name: string; homeVenueId: string }[]>();
    const rosters = new Map<string, { captain: string; players: string[] }>();
    for (const [i, t] of DEMO_TEAMS.entries()) {
      const division = divisions[i < 4 ? 0 : 1]?.id;
      if (!division) throw new Error('demo divisions missing');
      const roster = players.slice(i * 8, i * 8 + 8);
      // The demo captain takes the first team of division B, with the demo player on it.
      const captainId = i === 4 ? captain : (roster[0] as string);
      const members = i === 4 ? [player, ...roster.slice(0, 6)] : roster.slice(1);
      const team = await tx
        .insertInto('teams')
        .values({
          divisionId: division,
          name: t.name,
          homeVenue: t.venue,
          primaryColour: t.colours[0] ?? null,
          secondaryColour: t.colours[1] ?? null,
          createdBy: captainId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('teamMembers')
        .values([
          { teamId: team.id, userId: captainId, role: 'captain' },
          ...members.map((m) => ({ teamId: team.id, userId: m, role: 'player' as const })),
        ])
        .execute();
      rosters.set(team.id, { captain: captainId, players: [captainId, ...members] });
      const list = teamsByDivision.get(division) ?? [];
      list.push({ id: team.id, name: t.name, homeVenueId: venueOf.get(t.venue) as string });
      teamsByDivision.set(division, list);
    }

    // A published double round robin per division; the weeks already behind us were played,
    // and their results confirmed by both captains.
    const played: { id: string; date: string; home: string; away: string }[] = [];
    // Played means before the league's today, the date in its zone, as the API counts it.
    const todayIso = todayIn(DEMO_TIME_ZONE);
    for (const [divisionId, teams] of teamsByDivision) {
      const draft = generateSchedule(
        ScheduleInput.parse({
          teams,
          venues: venues.map((v) => ({
            id: v.id,
            name: v.name,
            courts: 6,
            availability: DEMO_VENUE_HOURS,
          })),
          courtsPerMatch: 5,
          startsOn: day(-28),
          endsOn: day(84),
          matchDays: ['tue', 'thu'],
          timeSlots: ['18:30'],
          matchMinutes: 150,
          doubleRoundRobin: true,
        }),
      );
      const placed = draft.matches.filter((m) => m.awayTeamId && m.date && m.venueId);
      if (placed.length === 0) continue;
      const ids = await addMatches(
        tx,
        organizer,
        placed.map((m) => ({
          row: draftMatchRow(divisionId, m, 150),
          details: { source: 'demo schedule' },
        })),
      );
      placed.forEach((m, i) => {
        const id = ids[i];
        if (id && (m.date as string) < todayIso) {
          played.push({
            id,
            date: m.date as string,
            home: m.homeTeamId,
            away: m.awayTeamId as string,
          });
        }
      });
    }

    const random = randomSource(2026);
    const levels = new Map<string, Level>([
      [captain, 'intermediate'],
      [player, 'novice'],
    ]);
    DEMO_PLAYERS.forEach((p, i) => levels.set(players[i] as string, p.level ?? 'intermediate'));
    const skill = new Map([...levels].map(([id, level]) => [id, trueSkill(level, random)]));
    played.sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
    for (const m of played) {
      const home = rosters.get(m.home);
      const away = rosters.get(m.away);
      if (!home || !away) throw new Error('demo rosters missing');
      await recordAgreedResult(
        tx,
        m.id,
        demoLines(DEFAULT_MATCH_FORMAT, home.players, away.players, skill, random),
        {
          enteredBy: home.captain,
          confirmedBy: away.captain,
          enteredAt: new Date(`${m.date}T21:30:00Z`),
          confirmedAt: new Date(Date.parse(`${m.date}T21:30:00Z`) + 14 * 3_600_000),
        },
        { rate: false },
      );
    }
    const first = played[0];
    if (first)
      await rerateFrom(tx, {
        sport: 'tennis',
        matchDate: first.date,
        startTime: '00:00',
        matchId: first.id,
      });
  });
}
