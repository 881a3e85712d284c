import { sql } from 'kysely';
import type { Tx } from '../../db/database';
import type { LineKind } from '#domain/schemas/results';

/** `a%b_c` → `a\%b\_c`: a name search matches the text typed, not LIKE's wildcards. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Where a match sits in a sport's rating order: by date, start time, then id. */
export interface RatingKey {
  readonly sport: string;
  readonly matchDate: string;
  readonly startTime: string;
  readonly matchId: string;
}

/** The sport key of a league, in SQL (see ratingSportKey). */
const sportOf = sql<string>`case when l.sport = 'custom'
  then 'custom:' || lower(trim(l.custom_sport)) else l.sport end`;

/** `(date, start time, match) >= key`, on the given columns. */
const fromKey = (
  k: RatingKey,
  columns: [date: string, time: string, match: string] = ['match_date', 'start_time', 'match_id'],
) =>
  sql<boolean>`(${sql.ref(columns[0])}, ${sql.ref(columns[1])}, ${sql.ref(columns[2])})
    >= (${k.matchDate}::date, ${k.startTime}::time, ${k.matchId}::uuid)`;

/**
 * The SQL of ratings. Every write here runs as the owner (see asSystem): ratings are derived
 * from final results, which row-level security has already let the acting user make.
 */
export const ratingsRepository = {
  /** Serialises re-rating within a sport, so that two replays never interleave. */
  async lockSport(tx: Tx, sport: string) {
    await sql`select pg_advisory_xact_lock(hashtext(${`ratings:${sport}`}))`.execute(tx);
  },

  /** Deletes the rating moves from `key` on; returns the players (and kinds) they belonged to. */
  async deleteMovesFrom(tx: Tx, key: RatingKey) {
    return tx
      .deleteFrom('rating_events')
      .where('sport', '=', key.sport)
      .where(fromKey(key))
      .returning(['user_id', 'kind'])
      .execute();
  },

  /** The rated lines of final results in a sport from `key` on, in rating order, with players. */
  async linesFrom(tx: Tx, key: RatingKey) {
    return tx
      .selectFrom('line_results as lr')
      .innerJoin('matches as m', 'm.id', 'lr.match_id')
      .innerJoin('divisions as d', 'd.id', 'm.division_id')
      .innerJoin('seasons as s', 's.id', 'd.season_id')
      .innerJoin('leagues as l', 'l.id', 's.league_id')
      .where(sportOf, '=', key.sport)
      .where('lr.rated', '=', true)
      .where(fromKey(key, ['lr.match_date', 'm.start_time', 'lr.match_id']))
      .select((eb) => {
        // The ids of the players on one side of the line, in a stable order.
        const side = (which: 'home' | 'away') =>
          eb
            .selectFrom('line_players as p')
            .whereRef('p.match_id', '=', 'lr.match_id')
            .whereRef('p.kind', '=', 'lr.kind')
            .whereRef('p.line', '=', 'lr.line')
            .where('p.side', '=', which)
            .select(sql<string[]>`array_agg(p.user_id::text order by p.user_id)`.as('ids'));
        return [
          'lr.match_id',
          'lr.division_id',
          'lr.kind',
          'lr.line',
          sql<string>`lr.match_date::text`.as('match_date'),
          sql<string>`m.start_time::text`.as('start_time'),
          'lr.winner',
          'lr.text',
          'lr.outcome',
          'lr.sets_home',
          'lr.sets_away',
          'lr.rating_games_home',
          'lr.rating_games_away',
          side('home').as('home_ids'),
          side('away').as('away_ids'),
        ];
      })
      .orderBy('lr.match_date')
      .orderBy('m.start_time')
      .orderBy('lr.match_id')
      .orderBy('lr.kind')
      .orderBy('lr.line')
      .execute();
  },

  /** Each player's engine state after their latest remaining move in the sport, per kind. */
  async latestStates(tx: Tx, sport: string, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return tx
      .selectFrom('rating_events')
      .distinctOn(['user_id', 'kind'])
      .where('sport', '=', sport)
      .where('user_id', 'in', userIds)
      .select(['user_id', 'kind', 'state_after'])
      .orderBy('user_id')
      .orderBy('kind')
      .orderBy('match_date', 'desc')
      .orderBy('start_time', 'desc')
      .orderBy('match_id', 'desc')
      .execute();
  },

  /** Self-assessed levels from players' profiles (sport → level). */
  async levels(tx: Tx, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return tx
      .selectFrom('profiles')
      .where('user_id', 'in', userIds)
      .select(['user_id', 'sports'])
      .execute();
  },

  async insertEvents(
    tx: Tx,
    rows: {
      user_id: string;
      sport: string;
      kind: LineKind;
      match_id: string;
      division_id: string;
      line: number;
      match_date: string;
      start_time: string;
      won: boolean;
      before: number;
      after: number;
      deviation_after: number;
      explanation: string;
      state_after: string;
    }[],
  ) {
    // Chunks keep each statement's parameter count far below PostgreSQL's limit of 65535.
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insertInto('rating_events')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  },

  /** Win/loss counts of the players' moves in the sport, per kind. */
  async records(tx: Tx, sport: string, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return tx
      .selectFrom('rating_events')
      .where('sport', '=', sport)
      .where('user_id', 'in', userIds)
      .groupBy(['user_id', 'kind'])
      .select([
        'user_id',
        'kind',
        sql<number>`count(*) filter (where won)::int`.as('won'),
        sql<number>`count(*) filter (where not won)::int`.as('lost'),
      ])
      .execute();
  },

  async upsertRatings(
    tx: Tx,
    rows: {
      user_id: string;
      sport: string;
      kind: LineKind;
      rating: number;
      deviation: number;
      reliability: number;
      matches: number;
      won: number;
      lost: number;
      last_played: string | null;
      state: string;
    }[],
  ) {
    if (rows.length === 0) return;
    await tx
      .insertInto('player_ratings')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['user_id', 'sport', 'kind']).doUpdateSet((eb) => ({
          rating: eb.ref('excluded.rating'),
          deviation: eb.ref('excluded.deviation'),
          reliability: eb.ref('excluded.reliability'),
          matches: eb.ref('excluded.matches'),
          won: eb.ref('excluded.won'),
          lost: eb.ref('excluded.lost'),
          last_played: eb.ref('excluded.last_played'),
          state: eb.ref('excluded.state'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
  },

  /** Removes the ratings of players left with no moves in a kind (`kind:user` pairs). */
  async deleteRatings(tx: Tx, sport: string, pairs: readonly { userId: string; kind: LineKind }[]) {
    if (pairs.length === 0) return;
    await tx
      .deleteFrom('player_ratings')
      .where('sport', '=', sport)
      .where((eb) =>
        eb.or(pairs.map((p) => eb.and([eb('user_id', '=', p.userId), eb('kind', '=', p.kind)]))),
      )
      .execute();
  },
};

/**
 * Ratings and leaderboards as users read them. Every query runs under row-level security:
 * ratings of players the user may see (the view `visible_players`), rating history of divisions
 * they may see, names from the `people` view.
 */
export const ratingReadsRepository = {
  /** A league the user can see, with its sport. */
  async league(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('leagues')
      .select(['id', 'sport', 'custom_sport'])
      .where('id', '=', leagueId)
      .executeTakeFirst();
  },

  /**
   * Players ranked by rating in one sport and kind. `rank` counts over the whole board, narrowed
   * by `scope` and `minMatches` only: the name search finds people on it, keeping their place.
   */
  async leaderboard(
    tx: Tx,
    options: {
      sport: string;
      kind: LineKind;
      scope: { leagueId: string } | { divisionId: string } | null;
      minMatches: number;
      q: string | undefined;
      limit: number;
    },
  ) {
    const { scope } = options;
    const board = tx
      .selectFrom('player_ratings as pr')
      .innerJoin('people as p', 'p.user_id', 'pr.user_id')
      .select([
        'pr.user_id',
        'p.display_name',
        'pr.rating',
        'pr.reliability',
        'pr.matches',
        'pr.won',
        'pr.lost',
        sql<string | null>`pr.last_played::text`.as('last_played'),
        sql<number>`(rank() over (order by pr.rating desc))::int`.as('rank'),
      ])
      .where('pr.sport', '=', options.sport)
      .where('pr.kind', '=', options.kind)
      .where('pr.matches', '>=', options.minMatches)
      .$if(scope !== null, (qb) =>
        qb.where('pr.user_id', 'in', (eb) => {
          const members = eb
            .selectFrom('team_members as tm')
            .innerJoin('teams as t', 't.id', 'tm.team_id')
            .select('tm.user_id');
          return scope && 'divisionId' in scope
            ? members.where('t.division_id', '=', scope.divisionId)
            : members
                .innerJoin('divisions as d', 'd.id', 't.division_id')
                .innerJoin('seasons as s', 's.id', 'd.season_id')
                .where('s.league_id', '=', scope?.leagueId ?? '');
        }),
      );
    return tx
      .selectFrom(board.as('b'))
      .selectAll()
      .$if(Boolean(options.q), (qb) =>
        qb.where('b.display_name', 'ilike', `%${likeEscape(options.q ?? '')}%`),
      )
      .orderBy('b.rank')
      .orderBy('b.display_name')
      .orderBy('b.user_id')
      .limit(options.limit)
      .execute();
  },

  /** The sport of the player's most recent rated line the user can see. */
  async latestRatedSport(tx: Tx, userId: string): Promise<string | undefined> {
    const row = await tx
      .selectFrom('rating_events')
      .select('sport')
      .where('user_id', '=', userId)
      .orderBy('match_date', 'desc')
      .orderBy('start_time', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.sport;
  },

  /**
   * Current ratings of these players, both kinds, in one sport or (null) every sport, in one
   * statement.
   */
  async ratings(tx: Tx, userIds: readonly string[], sport: string | null) {
    if (userIds.length === 0) return [];
    return tx
      .selectFrom('player_ratings')
      .select([
        'user_id',
        'sport',
        'kind',
        'rating',
        'deviation',
        'reliability',
        'matches',
        sql<string | null>`last_played::text`.as('last_played'),
      ])
      .where('user_id', 'in', [...new Set(userIds)])
      .$if(sport !== null, (qb) => qb.where('sport', '=', sport ?? ''))
      .orderBy('sport')
      .orderBy('kind', 'desc')
      .execute();
  },

  /** The player's rating moves in one sport the user can see, oldest first. */
  async ratingHistory(tx: Tx, userId: string, sport: string) {
    return tx
      .selectFrom('rating_events')
      .select([
        'match_id',
        'kind',
        'line',
        sql<string>`match_date::text`.as('date'),
        'won',
        'before',
        'after',
        'deviation_after',
        'explanation',
      ])
      .where('user_id', '=', userId)
      .where('sport', '=', sport)
      .orderBy('match_date')
      .orderBy('start_time')
      .orderBy('match_id')
      .orderBy('id')
      .execute();
  },
};
