import { sql } from 'kysely';
import type { Tx } from '../../db/database';

/** A line's columns for a player's or team's record, the date as `YYYY-MM-DD`. */
const lineColumns = [
  'lr.matchId',
  'lr.kind',
  'lr.line',
  sql<string>`lr.match_date::text`.as('date'),
  'lr.outcome',
  'lr.winner',
  'lr.sets',
  'l.sport',
  'l.customSport',
  'l.format',
] as const;

type Kind = 'singles' | 'doubles';
type Side = 'home' | 'away';

/** A final line with its league's sport and format, as `playerLines` and `teamLines` give it. */
interface LineData {
  matchId: string;
  kind: Kind;
  line: number;
  date: string;
  outcome: 'completed' | 'retired' | 'walkover' | 'default';
  winner: Side;
  sets: unknown;
  sport: string;
  customSport: string | null;
  format: unknown;
  side: Side;
}

/** Who played a line, as `linePlayers` gives it. */
interface MateData {
  matchId: string;
  kind: Kind;
  line: number;
  side: Side;
  teamId: string;
  userId: string;
}

interface NameData {
  userId: string;
  displayName: string;
}

/** What a team's stats are made of: `app_team_stats` (migration 0014). */
export interface TeamStatsData {
  league: { sport: string; customSport: string | null } | null;
  /** `teamResults`'s rows, newest first. */
  results: {
    id: string;
    date: string;
    homeTeamId: string;
    awayTeamId: string;
    opponentName: string | null;
    totals: unknown;
  }[];
  lines: LineData[];
  roster: string[];
  /** Who played the team's matches for the team. */
  mates: MateData[];
  /** Names of the roster and of those who played, as far as the user may see them. */
  names: NameData[];
  /** Their current ratings the user may see, every sport. */
  ratings: { userId: string; sport: string; kind: Kind; rating: number }[];
}

/** What a player's page is made of, every sport: `app_player_page` (migration 0014). */
export interface PlayerPageData {
  name: string;
  /** `ratingReadsRepository.ratings` of the player, every sport, in its order. */
  ratings: {
    userId: string;
    sport: string;
    kind: Kind;
    rating: number;
    deviation: number;
    reliability: number;
    matches: number;
    lastPlayed: string | null;
  }[];
  /** The sport of their latest rated line the user can see. */
  latestSport: string | null;
  /** The league of their newest team the user can see. */
  teamSport: { sport: string; customSport: string | null } | null;
  lines: (LineData & { userId: string })[];
  /** Their rating moves the user can see, every sport, oldest first. */
  history: {
    sport: string;
    matchId: string;
    kind: Kind;
    line: number;
    date: string;
    won: boolean;
    before: number;
    after: number;
    deviationAfter: number;
    explanation: unknown;
  }[];
  /** Who played the lines of their matches. */
  mates: MateData[];
  /** Names of the player and of everybody on those lines, as far as the user may see them. */
  names: NameData[];
}

/**
 * Players' lines and teams' records, with camelCase names. The pages read through
 * `teamStatsData` and `playerPageData` (migration 0014); the per-table queries below are what
 * those functions are held to (server/db/rls-page-reads.test.ts) and what `bench:pages` compares
 * them with. Every query runs under row-level security: lines of
 * divisions the user may see, names from the `people` view.
 */
export const playersRepository = {
  /**
   * Everything a team's stats show, in one statement (`app_team_stats`, migration 0014): the
   * rows of `teamLeague`, `teamResults`, `teamLines`, `roster`, `linePlayers`, `names` and the
   * players' ratings under the same row-level security. Null: the team is not visible.
   */
  async teamStatsData(tx: Tx, teamId: string): Promise<TeamStatsData | null> {
    const row = await tx
      .selectNoFrom(sql<TeamStatsData | null>`app_team_stats(${teamId}::uuid)`.as('data'))
      .executeTakeFirst();
    return row?.data ?? null;
  },

  /**
   * Everything a player's page shows, every sport, in one statement (`app_player_page`,
   * migration 0014): `person`, their ratings, `latestRatedSport`, `teamSport`, `playerLines`, the
   * rating history, `linePlayers` and `names` under the same row-level security. Null: the user
   * cannot see the player.
   */
  async playerPageData(tx: Tx, userId: string): Promise<PlayerPageData | null> {
    const row = await tx
      .selectNoFrom(sql<PlayerPageData | null>`app_player_page(${userId}::uuid)`.as('data'))
      .executeTakeFirst();
    return row?.data ?? null;
  },

  /** The person's display name, if the user may see them. */
  async person(tx: Tx, userId: string) {
    return tx
      .selectFrom('people')
      .select(['userId', 'displayName'])
      .where('userId', '=', userId)
      .executeTakeFirst();
  },

  async names(tx: Tx, userIds: readonly string[]) {
    if (userIds.length === 0) return new Map<string, string>();
    const rows = await tx
      .selectFrom('people')
      .select(['userId', 'displayName'])
      .where('userId', 'in', [...new Set(userIds)])
      .execute();
    return new Map(rows.map((r) => [r.userId, r.displayName]));
  },

  /** The sport of the league of the player's newest team the user can see. */
  async teamSport(tx: Tx, userId: string) {
    return tx
      .selectFrom('teamMembers as tm')
      .innerJoin('teams as t', 't.id', 'tm.teamId')
      .innerJoin('divisions as d', 'd.id', 't.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select(['l.sport', 'l.customSport'])
      .where('tm.userId', '=', userId)
      .orderBy('s.startsOn', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Every final line the player played that the user can see, with its league's sport and format. */
  async playerLines(tx: Tx, userId: string) {
    return tx
      .selectFrom('linePlayers as lp')
      .innerJoin('lineResults as lr', (j) =>
        j
          .onRef('lr.matchId', '=', 'lp.matchId')
          .onRef('lr.kind', '=', 'lp.kind')
          .onRef('lr.line', '=', 'lp.line'),
      )
      .innerJoin('divisions as d', 'd.id', 'lr.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select([...lineColumns, 'lp.side', 'lp.userId'])
      .where('lp.userId', '=', userId)
      .execute();
  },

  /** Every final line a team played, from its side, with its league's format. */
  async teamLines(tx: Tx, teamId: string) {
    return tx
      .selectFrom('lineResults as lr')
      .innerJoin('matches as m', 'm.id', 'lr.matchId')
      .innerJoin('divisions as d', 'd.id', 'lr.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select([
        ...lineColumns,
        sql<'home' | 'away'>`case when m.home_team_id = ${teamId} then 'home' else 'away' end`.as(
          'side',
        ),
      ])
      .where((eb) => eb.or([eb('m.homeTeamId', '=', teamId), eb('m.awayTeamId', '=', teamId)]))
      .where('m.status', '<>', 'cancelled')
      .execute();
  },

  /** Who played each line of these matches (to name partners and opponents). */
  async linePlayers(tx: Tx, matchIds: readonly string[]) {
    if (matchIds.length === 0) return [];
    return tx
      .selectFrom('linePlayers')
      .select(['matchId', 'kind', 'line', 'side', 'teamId', 'userId'])
      .where('matchId', 'in', [...new Set(matchIds)])
      .execute();
  },

  /** The team's league: its sport, for ratings. */
  async teamLeague(tx: Tx, teamId: string) {
    return tx
      .selectFrom('teams as t')
      .innerJoin('divisions as d', 'd.id', 't.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .select(['l.sport', 'l.customSport'])
      .where('t.id', '=', teamId)
      .executeTakeFirst();
  },

  /** The team's current roster. */
  async roster(tx: Tx, teamId: string) {
    return tx.selectFrom('teamMembers').select('userId').where('teamId', '=', teamId).execute();
  },

  /** The team's final team-match results (matches not cancelled), newest first. */
  async teamResults(tx: Tx, teamId: string) {
    return tx
      .selectFrom('matchResults as r')
      .innerJoin('matches as m', 'm.id', 'r.matchId')
      .leftJoin('teams as o', (j) =>
        j.on(
          sql<boolean>`o.id = case when m.home_team_id = ${teamId} then m.away_team_id
            else m.home_team_id end`,
        ),
      )
      .select([
        'm.id',
        sql<string>`m.match_date::text`.as('date'),
        'm.homeTeamId',
        'm.awayTeamId',
        'o.name as opponentName',
        'r.totals',
      ])
      .where('r.status', '=', 'final')
      .where('m.status', '<>', 'cancelled')
      .where((eb) => eb.or([eb('m.homeTeamId', '=', teamId), eb('m.awayTeamId', '=', teamId)]))
      .orderBy('m.matchDate', 'desc')
      .orderBy('m.startTime', 'desc')
      .orderBy('m.id')
      .execute();
  },
};
