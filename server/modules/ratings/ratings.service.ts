import type { z } from 'zod';
import { RatingEngine, type PlayerState, type Side } from '#domain/ratings/index';
import { LEVELS, type Level } from '#domain/schemas/me';
import { ratingSportKey, type Leaderboard, type LeaderboardQuery } from '#domain/schemas/ratings';
import { type LineKind } from '#domain/schemas/results';
import type { Tx } from '../../db/database';
import { badRequest, notFound } from '../../plugins/problem';
import { visibleDivision } from '../leagues';
import {
  ratingReadsRepository as reads,
  ratingsRepository as repo,
  type RatingKey,
} from './ratings.repository';

/** Self-assessed level of a player with none given for the sport (a custom sport, say). */
const DEFAULT_LEVEL: Level = 'intermediate';

/**
 * Re-rates a sport from one match on: forgets every rating move from that match on, reloads each
 * affected player's engine state from just before it, and replays the final results from there
 * in order, storing each move with its explanation and the state after it. With results
 * confirmed in date order this replays one match; a correction, or a late result, replays what
 * came after it. Exact, because the engine is player-local: a player's rating depends only on
 * their own state and their matches' players.
 *
 * Must run as the owner (asSystem) inside the transaction that made the result final.
 */
export async function rerateFrom(tx: Tx, key: RatingKey): Promise<void> {
  await repo.lockSport(tx, key.sport);
  const removed = await repo.deleteMovesFrom(tx, key);
  const lines = await repo.linesFrom(tx, key);
  const players = new Set(removed.map((r) => r.userId));
  for (const l of lines)
    for (const id of [...(l.homeIds ?? []), ...(l.awayIds ?? [])]) players.add(id);
  const ids = [...players];

  const engines: Record<LineKind, RatingEngine> = {
    singles: new RatingEngine(),
    doubles: new RatingEngine(),
  };
  const [states, profiles] = await Promise.all([
    repo.latestStates(tx, key.sport, ids),
    repo.levels(tx, ids),
  ]);
  const known = new Set<string>();
  for (const s of states) {
    engines[s.kind].importPlayer(s.stateAfter as PlayerState);
    known.add(`${s.kind}:${s.userId}`);
  }
  const levelOf = new Map(
    profiles.map((p) => [p.userId, sportLevel(p.sports, key.sport) ?? DEFAULT_LEVEL]),
  );
  for (const kind of ['singles', 'doubles'] as const) {
    for (const id of ids) {
      if (!known.has(`${kind}:${id}`))
        engines[kind].newPlayer(id, levelOf.get(id) ?? DEFAULT_LEVEL);
    }
  }

  const events: Parameters<typeof repo.insertEvents>[1] = [];
  for (const l of lines) {
    const home = asSide(l.homeIds);
    const away = asSide(l.awayIds);
    // A line without a full side on each end (a walkover's no-show) moves nobody.
    if (!home || !away) continue;
    const engine = engines[l.kind];
    const games =
      l.ratingGamesHome !== null && l.ratingGamesAway !== null
        ? { a: l.ratingGamesHome, b: l.ratingGamesAway }
        : undefined;
    const explanation = engine.update({
      sideA: home,
      sideB: away,
      date: l.matchDate,
      winner: l.winner === 'home' ? 'a' : 'b',
      ...(games ? { games } : {}),
      // Sets as played reveal the format (best of three, of five) to the engine.
      ...(l.outcome === 'completed' ? { sets: { a: l.setsHome, b: l.setsAway } } : {}),
    });
    for (const move of explanation.players) {
      const isHome = home.includes(move.id);
      const won = (l.winner === 'home') === isHome;
      const state = engine.exportPlayer(move.id);
      events.push({
        userId: move.id,
        sport: key.sport,
        kind: l.kind,
        matchId: l.matchId,
        divisionId: l.divisionId,
        line: l.line,
        matchDate: l.matchDate,
        startTime: l.startTime,
        won,
        before: move.before,
        after: move.after,
        deviationAfter: move.deviationAfter,
        explanation: JSON.stringify({
          ...move,
          expected: isHome ? explanation.expected : 1 - explanation.expected,
          actual: won ? 1 : 0,
          expectedGameShare: isHome
            ? explanation.expectedGameShare
            : 1 - explanation.expectedGameShare,
          actualGameShare:
            explanation.actualGameShare === null
              ? null
              : isHome
                ? explanation.actualGameShare
                : 1 - explanation.actualGameShare,
          score: isHome ? l.text : flipScore(l.text),
        }),
        stateAfter: JSON.stringify(state),
      });
    }
  }
  await repo.insertEvents(tx, events);

  const records = await repo.records(tx, key.sport, ids);
  const record = new Map(records.map((r) => [`${r.kind}:${r.userId}`, r]));
  const upserts: Parameters<typeof repo.upsertRatings>[1] = [];
  const gone: { userId: string; kind: LineKind }[] = [];
  for (const kind of ['singles', 'doubles'] as const) {
    for (const id of ids) {
      const counts = record.get(`${kind}:${id}`);
      const rating = engines[kind].rating(id);
      const state = engines[kind].exportPlayer(id);
      if (!counts || !rating || !state) {
        // No moves left in this kind (a correction took the player out): no rating either.
        gone.push({ userId: id, kind });
        continue;
      }
      upserts.push({
        userId: id,
        sport: key.sport,
        kind,
        rating: rating.rating,
        deviation: rating.deviation,
        reliability: rating.reliability,
        matches: rating.matches,
        won: counts.won,
        lost: counts.lost,
        lastPlayed: rating.lastPlayed,
        state: JSON.stringify(state),
      });
    }
  }
  await repo.upsertRatings(tx, upserts);
  await repo.deleteRatings(tx, key.sport, gone);
}

function asSide(ids: readonly string[] | null): Side | null {
  if (!ids || ids.length === 0 || ids.length > 2) return null;
  return ids.length === 1 ? [ids[0] ?? ''] : [ids[0] ?? '', ids[1] ?? ''];
}

function sportLevel(sports: unknown, sport: string): Level | undefined {
  if (!Array.isArray(sports)) return undefined;
  for (const entry of sports as { sport?: unknown; level?: unknown }[]) {
    if (entry.sport === sport && LEVELS.includes(entry.level as Level)) return entry.level as Level;
  }
  return undefined;
}

/** A score written home side first, as the away side reads it: `6-4 7-6(5)` → `4-6 6-7(5)`. */
export function flipScore(text: string): string {
  return text
    .split(' ')
    .map((part) =>
      part.replace(
        /^(\[?)(\d+)-(\d+)/,
        (_, open: string, a: string, b: string) => `${open}${b}-${a}`,
      ),
    )
    .join(' ');
}

/**
 * Players ranked by rating (issue #6) in one sport and kind of line. A league or division narrows
 * the board to players on its teams and gives the sport (its league's); without either the sport
 * must be named. Rank is the place on the narrowed board (`minMatches` included), shared by equal
 * ratings; the name search `q` only picks rows from it.
 */
export async function leaderboard(
  tx: Tx,
  query: z.output<typeof LeaderboardQuery>,
): Promise<Leaderboard> {
  let sport = query.sport;
  let scope: { leagueId: string } | { divisionId: string } | null = null;
  const leagueId = query.divisionId
    ? (await visibleDivision(tx, query.divisionId)).leagueId
    : query.leagueId;
  if (query.divisionId && query.leagueId && leagueId !== query.leagueId) {
    throw badRequest('This division is not in that league.', [
      { field: 'querystring.divisionId', message: 'Not a division of this league' },
    ]);
  }
  if (leagueId) {
    const league = await reads.league(tx, leagueId);
    if (!league) throw notFound('There is no such league, or it is private.');
    sport ??= ratingSportKey(league.sport, league.customSport);
    scope = query.divisionId ? { divisionId: query.divisionId } : { leagueId };
  }
  if (!sport) {
    throw badRequest('Choose a sport, or a league or division to take the sport from.', [
      { field: 'querystring.sport', message: 'Required without leagueId or divisionId' },
    ]);
  }
  const rows = await reads.leaderboard(tx, {
    sport,
    kind: query.kind,
    scope,
    minMatches: query.minMatches,
    q: query.q || undefined,
    limit: query.limit,
  });
  return {
    sport,
    kind: query.kind,
    rows: rows.map(({ userId, displayName, ...r }) => ({
      ...r,
      player: { id: userId, name: displayName },
    })),
  };
}
