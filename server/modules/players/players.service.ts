import { playerStats, teamLineRecords, type PlayerLine } from '#domain/rules/player-stats';
import { playedTotals, type StoredSet } from '#domain/rules/as-played';
import type { LineOutcome } from '#domain/rules/scoring';
import type { MatchFormat } from '#domain/schemas/leagues';
import { type PlayerPage, type TeamStats } from '#domain/schemas/players';
import { ratingSportKey, type RatingView } from '#domain/schemas/ratings';
import { type LineKind } from '#domain/schemas/results';
import type { Tx } from '../../db/database';
import { notFound } from '../../plugins/problem';
import { playersRepository as repo, type TeamStatsData } from './players.repository';

/** Shown for someone whose name the user may no longer see (they left every visible roster). */
const FORMER = 'A former member';
/** A player page without any rating or team to choose from shows this sport. */
const FALLBACK_SPORT = 'tennis';
const RECENT_RESULTS = 10;

type Side = 'home' | 'away';
type LineRow = TeamStatsData['lines'][number];
type Mate = TeamStatsData['mates'][number];

const lineKey = (l: { matchId: string; kind: string; line: number }) =>
  `${l.matchId}:${l.kind}:${l.line}`;

/** Who played each line, by {@link lineKey}. */
function matesByLine(mates: readonly Mate[]): Map<string, Mate[]> {
  const byLine = new Map<string, Mate[]>();
  for (const m of mates) {
    const key = lineKey(m);
    byLine.set(key, [...(byLine.get(key) ?? []), m]);
  }
  return byLine;
}

/** Partner and opponents of `userId` on one line, by the side they played. */
function around(mates: readonly Mate[], userId: string, side: Side) {
  return {
    partnerId: mates.find((m) => m.side === side && m.userId !== userId)?.userId ?? null,
    opponentIds: mates.filter((m) => m.side !== side).map((m) => m.userId),
  };
}

/** One line from one player's side, sets and games as played (not as credited). */
function playerLine(line: LineRow, side: Side, userId: string, mates: readonly Mate[]): PlayerLine {
  const played = playedTotals(line.sets as StoredSet[], line.outcome, line.format as MatchFormat);
  const home = side === 'home';
  return {
    matchId: line.matchId,
    date: line.date,
    kind: line.kind,
    outcome: line.outcome as LineOutcome,
    won: line.winner === side,
    ...around(mates, userId, side),
    setsWon: home ? played.setsHome : played.setsAway,
    setsLost: home ? played.setsAway : played.setsHome,
    gamesWon: home ? played.gamesHome : played.gamesAway,
    gamesLost: home ? played.gamesAway : played.gamesHome,
  };
}

const person = (names: Map<string, string>, id: string) => ({ id, name: names.get(id) ?? FORMER });

/** The stored explanation of one rating move (see the results module and domain/ratings). */
interface StoredExplanation {
  expected: number;
  result: number;
  margin: number;
  career: number;
  change: number;
  score: string;
  inactivityDeviation: number;
  stepSize: number;
}

/**
 * A player's page (issue #6): ratings, record and rating history in one sport. The sport is the
 * one asked for, else that of their latest rated line, else that of their newest team's league.
 * Everything is limited to what the user may see: a player they cannot see is a 404, and lines
 * and history come from divisions they can see only.
 */
export async function playerPage(
  tx: Tx,
  playerId: string,
  sportAsked: string | undefined,
): Promise<PlayerPage> {
  // One statement (`app_player_page`): everything below, every sport, as the user may see it.
  const found = await repo.playerPageData(tx, playerId);
  if (!found) throw notFound('There is no such player, or you cannot see them.');
  const rated = found.ratings;
  // The sport of the latest rated line: by its rating's last play when no line is visible.
  const byRecency = [...rated].sort(
    (a, b) =>
      (b.lastPlayed ?? '').localeCompare(a.lastPlayed ?? '') || a.sport.localeCompare(b.sport),
  );
  let sport = sportAsked ?? found.latestSport ?? byRecency[0]?.sport;
  if (!sport) {
    const team = found.teamSport;
    sport = team ? ratingSportKey(team.sport, team.customSport) : FALLBACK_SPORT;
  }
  const history = found.history
    .filter((h) => h.sport === sport)
    .map(({ sport: _sport, ...move }) => move);
  const ratings = rated.filter((r) => r.sport === sport);
  const lines = found.lines.filter((l) => ratingSportKey(l.sport, l.customSport) === sport);
  // Who played the lines of every sport: only those of this sport's lines are looked up.
  const byLine = matesByLine(found.mates);
  const names = new Map(found.names.map((n) => [n.userId, n.displayName]));
  const stats = playerStats(
    lines.map((l) => playerLine(l, l.side, playerId, byLine.get(lineKey(l)) ?? [])),
  );
  return {
    player: { id: playerId, name: found.name },
    sport,
    sports: [...new Set(rated.map((r) => r.sport))],
    ratings: ratings.map((r): RatingView => ({
      kind: r.kind,
      rating: r.rating,
      deviation: r.deviation,
      reliability: r.reliability,
      matches: r.matches,
      lastPlayed: r.lastPlayed,
    })),
    stats: {
      ...stats,
      headToHead: stats.headToHead.map(({ opponentId, ...h }) => ({
        opponent: person(names, opponentId),
        ...h,
      })),
      partners: stats.partners.map(({ partnerId, ...p }) => ({
        partner: person(names, partnerId),
        ...p,
      })),
    },
    history: history.map(({ explanation, ...move }) => {
      const onLine = byLine.get(lineKey(move)) ?? [];
      const side = onLine.find((m) => m.userId === playerId)?.side;
      const { partnerId, opponentIds } = side
        ? around(onLine, playerId, side)
        : { partnerId: null, opponentIds: [] };
      const e = explanation as StoredExplanation;
      return {
        ...move,
        kind: move.kind as LineKind,
        opponents: opponentIds.map((id) => person(names, id)),
        partner: partnerId ? person(names, partnerId) : null,
        why: {
          expected: e.expected,
          result: e.result,
          margin: e.margin,
          career: e.career,
          change: e.change,
          score: e.score,
          inactivityDeviation: e.inactivityDeviation,
          stepSize: e.stepSize,
        },
      };
    }),
  };
}

/** Totals of a final result as stored in `match_results.totals`. */
interface StoredTotals {
  winner: Side | 'tie';
  linesHome: number;
  linesAway: number;
}

/**
 * A team's season in numbers (issue #6): its record over final results, its record at each line
 * (`teamLineRecords`), each player's record for the team (`playerStats`, as on the player page)
 * with their current ratings in the league's sport, and its last results. 404 for a team the user
 * cannot see.
 */
export async function teamStats(tx: Tx, teamId: string): Promise<TeamStats> {
  // One statement (`app_team_stats`): everything below, as the user may see it.
  const found = await repo.teamStatsData(tx, teamId);
  if (!found) throw notFound('There is no such team, or its league is private.');
  const { league, results, lines, roster } = found;
  const sport = league ? ratingSportKey(league.sport, league.customSport) : FALLBACK_SPORT;

  const recent = results.map((r) => {
    const home = r.homeTeamId === teamId;
    const t = r.totals as StoredTotals;
    const result: 'won' | 'lost' | 'tied' =
      t.winner === 'tie' ? 'tied' : (t.winner === 'home') === home ? 'won' : 'lost';
    return {
      matchId: r.id,
      date: r.date,
      opponent: {
        id: home ? r.awayTeamId : r.homeTeamId,
        name: r.opponentName ?? 'A team no longer listed',
      },
      home,
      result,
      linesFor: home ? t.linesHome : t.linesAway,
      linesAgainst: home ? t.linesAway : t.linesHome,
    };
  });
  const count = (result: string) => recent.filter((r) => r.result === result).length;

  // Who played the team's matches for the team: only those of its lines are looked up.
  const mates = found.mates.filter((m) => m.teamId === teamId);
  const byPlayer = new Map<string, PlayerLine[]>(roster.map((id) => [id, []]));
  const byLine = matesByLine(mates);
  for (const l of lines) {
    const onLine = byLine.get(lineKey(l)) ?? [];
    for (const m of onLine) {
      const own = byPlayer.get(m.userId) ?? [];
      own.push(playerLine(l, m.side, m.userId, onLine));
      byPlayer.set(m.userId, own);
    }
  }
  const playerIds = [...byPlayer.keys()];
  const names = new Map(found.names.map((n) => [n.userId, n.displayName]));
  const ratings = found.ratings.filter((r) => r.sport === sport);
  const ratingOf = (userId: string, kind: LineKind) =>
    ratings.find((r) => r.userId === userId && r.kind === kind)?.rating ?? null;
  const players = playerIds
    .map((id) => {
      const { played, won, lost } = playerStats(byPlayer.get(id) ?? []).overall;
      return {
        player: person(names, id),
        played,
        won,
        lost,
        singlesRating: ratingOf(id, 'singles'),
        doublesRating: ratingOf(id, 'doubles'),
      };
    })
    .sort(
      (a, b) =>
        b.played - a.played ||
        b.won - a.won ||
        a.player.name.localeCompare(b.player.name) ||
        (a.player.id < b.player.id ? -1 : 1),
    );

  return {
    teamId,
    record: { played: recent.length, won: count('won'), lost: count('lost'), tied: count('tied') },
    lines: teamLineRecords(
      lines.map((l) => ({
        matchId: l.matchId,
        date: l.date,
        kind: l.kind,
        line: l.line,
        won: l.winner === l.side,
        outcome: l.outcome as LineOutcome,
      })),
    ),
    players,
    recent: recent.slice(0, RECENT_RESULTS),
  };
}
