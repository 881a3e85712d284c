import { sql } from 'kysely';
import type { Tx } from '../../db/database';
import { likeEscape } from '../../db/like';
import type { LineKind } from '#domain/schemas/results';

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
  columns: [date: string, time: string, match: string] = ['matchDate', 'startTime', 'matchId'],
) =>
  sql<boolean>`(${sql.ref(columns[0])}, ${sql.ref(columns[1])}, ${sql.ref(columns[2])})
    >= (${k.matchDate}::date, ${k.startTime}::time, ${k.matchId}::uuid)`;

/**
 * The SQL of ratings, with camelCase names. Every write here runs as the owner (see asSystem): ratings are derived
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
      .deleteFrom('ratingEvents')
      .where('sport', '=', key.sport)
      .where(fromKey(key))
      .returning(['userId', 'kind'])
      .execute();
  },

  /** The rated lines of final results in a sport from `key` on, in rating order, with players. */
  async linesFrom(tx: Tx, key: RatingKey) {
    return tx
      .selectFrom('lineResults as lr')
      .innerJoin('matches as m', 'm.id', 'lr.matchId')
      .innerJoin('divisions as d', 'd.id', 'm.divisionId')
      .innerJoin('seasons as s', 's.id', 'd.seasonId')
      .innerJoin('leagues as l', 'l.id', 's.leagueId')
      .where(sportOf, '=', key.sport)
      .where('lr.rated', '=', true)
      .where(fromKey(key, ['lr.matchDate', 'm.startTime', 'lr.matchId']))
      .select((eb) => {
        // The ids of the players on one side of the line, in a stable order.
        const side = (which: 'home' | 'away') =>
          eb
            .selectFrom('linePlayers as p')
            .whereRef('p.matchId', '=', 'lr.matchId')
            .whereRef('p.kind', '=', 'lr.kind')
            .whereRef('p.line', '=', 'lr.line')
            .where('p.side', '=', which)
            .select(sql<string[]>`array_agg(p.user_id::text order by p.user_id)`.as('ids'));
        return [
          'lr.matchId',
          'lr.divisionId',
          'lr.kind',
          'lr.line',
          sql<string>`lr.match_date::text`.as('matchDate'),
          sql<string>`m.start_time::text`.as('startTime'),
          'lr.winner',
          'lr.text',
          'lr.outcome',
          'lr.setsHome',
          'lr.setsAway',
          'lr.ratingGamesHome',
          'lr.ratingGamesAway',
          side('home').as('homeIds'),
          side('away').as('awayIds'),
        ];
      })
      .orderBy('lr.matchDate')
      .orderBy('m.startTime')
      .orderBy('lr.matchId')
      .orderBy('lr.kind')
      .orderBy('lr.line')
      .execute();
  },

  /** Each player's engine state after their latest remaining move in the sport, per kind. */
  async latestStates(tx: Tx, sport: string, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return tx
      .selectFrom('ratingEvents')
      .distinctOn(['userId', 'kind'])
      .where('sport', '=', sport)
      .where('userId', 'in', userIds)
      .select(['userId', 'kind', 'stateAfter'])
      .orderBy('userId')
      .orderBy('kind')
      .orderBy('matchDate', 'desc')
      .orderBy('startTime', 'desc')
      .orderBy('matchId', 'desc')
      .execute();
  },

  /** Self-assessed levels from players' profiles (sport → level). */
  async levels(tx: Tx, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return tx
      .selectFrom('profiles')
      .where('userId', 'in', userIds)
      .select(['userId', 'sports'])
      .execute();
  },

  async insertEvents(
    tx: Tx,
    rows: {
      userId: string;
      sport: string;
      kind: LineKind;
      matchId: string;
      divisionId: string;
      line: number;
      matchDate: string;
      startTime: string;
      won: boolean;
      before: number;
      after: number;
      deviationAfter: number;
      explanation: string;
      stateAfter: string;
    }[],
  ) {
    // Chunks keep each statement's parameter count far below PostgreSQL's limit of 65535.
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insertInto('ratingEvents')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  },

  /** Win/loss counts of the players' moves in the sport, per kind. */
  async records(tx: Tx, sport: string, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    return tx
      .selectFrom('ratingEvents')
      .where('sport', '=', sport)
      .where('userId', 'in', userIds)
      .groupBy(['userId', 'kind'])
      .select([
        'userId',
        'kind',
        sql<number>`count(*) filter (where won)::int`.as('won'),
        sql<number>`count(*) filter (where not won)::int`.as('lost'),
      ])
      .execute();
  },

  async upsertRatings(
    tx: Tx,
    rows: {
      userId: string;
      sport: string;
      kind: LineKind;
      rating: number;
      deviation: number;
      reliability: number;
      matches: number;
      won: number;
      lost: number;
      lastPlayed: string | null;
      state: string;
    }[],
  ) {
    if (rows.length === 0) return;
    await tx
      .insertInto('playerRatings')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['userId', 'sport', 'kind']).doUpdateSet((eb) => ({
          rating: eb.ref('excluded.rating'),
          deviation: eb.ref('excluded.deviation'),
          reliability: eb.ref('excluded.reliability'),
          matches: eb.ref('excluded.matches'),
          won: eb.ref('excluded.won'),
          lost: eb.ref('excluded.lost'),
          lastPlayed: eb.ref('excluded.lastPlayed'),
          state: eb.ref('excluded.state'),
          updatedAt: sql`now()`,
        })),
      )
      .execute();
  },

  /** Removes the ratings of players left with no moves in a kind (`kind:user` pairs). */
  async deleteRatings(tx: Tx, sport: string, pairs: readonly { userId: string; kind: LineKind }[]) {
    if (pairs.length === 0) return;
    await tx
      .deleteFrom('playerRatings')
      .where('sport', '=', sport)
      .where((eb) =>
        eb.or(pairs.map((p) => eb.and([eb('userId', '=', p.userId), eb('kind', '=', p.kind)]))),
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
      .select(['id', 'sport', 'customSport'])
      .where('id', '=', leagueId)
      .executeTakeFirst();
  },

  /**
   * Players ranked by rating in one sport and kind. `rank` counts over the whole board, narrowed
   * by `scope` and `minMatches` only: the name search finds people on it, keeping their place.
   *
   * The cost follows the rows shown, not the board (issue #12). A row's rank is 1 + the number of
   * visible rows rated strictly higher, so ranking only the top of the board, down to the lowest
   * rating shown with every row tied at it, gives each row shown its place on the whole board;
   * and the order by rank, then name, is the order by rating, then name.
   * - The board (no `q`, no scope): `top` walks the index `player_ratings_board` in rating order,
   *   row-level security checking each row it passes, and stops at the `limit`-th visible row;
   *   `prefix` is every visible row rated at least as high as that one (the tie there included:
   *   names decide which of it are shown), read from the same index.
   * - A name search, or a league's or division's board: the narrowed board ranked in one pass,
   *   ordered by rating so that PostgreSQL sorts each group of equal ratings by name as it comes
   *   (incremental sort) and stops at the `limit`-th row. A scope is read from its rosters; a
   *   search whose matches sit far down a large board walks down to them.
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
    // The narrowed board, visible rows only (the policies of player_ratings and people).
    const board = () =>
      tx
        .selectFrom('playerRatings as pr')
        .innerJoin('people as p', 'p.userId', 'pr.userId')
        .where('pr.sport', '=', options.sport)
        .where('pr.kind', '=', options.kind)
        .where('pr.matches', '>=', options.minMatches)
        .$if(scope !== null, (qb) =>
          qb.where('pr.userId', 'in', (eb) => {
            const members = eb
              .selectFrom('teamMembers as tm')
              .innerJoin('teams as t', 't.id', 'tm.teamId')
              .select('tm.userId');
            return scope && 'divisionId' in scope
              ? members.where('t.divisionId', '=', scope.divisionId)
              : members
                  .innerJoin('divisions as d', 'd.id', 't.divisionId')
                  .innerJoin('seasons as s', 's.id', 'd.seasonId')
                  .where('s.leagueId', '=', scope?.leagueId ?? '');
          }),
        );
    const ranked = (rows: ReturnType<typeof board>) =>
      rows.select([
        'pr.userId',
        'p.displayName',
        'pr.rating',
        'pr.reliability',
        'pr.matches',
        'pr.won',
        'pr.lost',
        sql<string | null>`pr.last_played::text`.as('lastPlayed'),
        sql<number>`(rank() over (order by pr.rating desc))::int`.as('rank'),
      ]);
    const { q } = options;
    if (q || scope) {
      return tx
        .selectFrom(ranked(board()).as('b'))
        .selectAll()
        .$if(Boolean(q), (qb) => qb.where('b.displayName', 'ilike', `%${likeEscape(q ?? '')}%`))
        .orderBy('b.rating', 'desc')
        .orderBy('b.displayName')
        .orderBy('b.userId')
        .limit(options.limit)
        .execute();
    }
    return tx
      .with('top', () =>
        board().select('pr.rating').orderBy('pr.rating', 'desc').limit(options.limit),
      )
      .with('prefix', () =>
        ranked(board().where('pr.rating', '>=', sql<number>`(select min(t.rating) from top t)`)),
      )
      .selectFrom('prefix as b')
      .selectAll()
      .orderBy('b.rating', 'desc')
      .orderBy('b.displayName')
      .orderBy('b.userId')
      .limit(options.limit)
      .execute();
  },

  /** The sport of the player's most recent rated line the user can see. */
  async latestRatedSport(tx: Tx, userId: string): Promise<string | undefined> {
    const row = await tx
      .selectFrom('ratingEvents')
      .select('sport')
      .where('userId', '=', userId)
      .orderBy('matchDate', 'desc')
      .orderBy('startTime', 'desc')
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
      .selectFrom('playerRatings')
      .select([
        'userId',
        'sport',
        'kind',
        'rating',
        'deviation',
        'reliability',
        'matches',
        sql<string | null>`last_played::text`.as('lastPlayed'),
      ])
      .where('userId', 'in', [...new Set(userIds)])
      .$if(sport !== null, (qb) => qb.where('sport', '=', sport ?? ''))
      .orderBy('sport')
      .orderBy('kind', 'desc')
      .execute();
  },

  /** The player's rating moves in one sport the user can see, oldest first. */
  async ratingHistory(tx: Tx, userId: string, sport: string) {
    return tx
      .selectFrom('ratingEvents')
      .select([
        'matchId',
        'kind',
        'line',
        sql<string>`match_date::text`.as('date'),
        'won',
        'before',
        'after',
        'deviationAfter',
        'explanation',
      ])
      .where('userId', '=', userId)
      .where('sport', '=', sport)
      .orderBy('matchDate')
      .orderBy('startTime')
      .orderBy('matchId')
      .orderBy('id')
      .execute();
  },
};
