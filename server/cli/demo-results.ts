import type { MatchFormat } from '#domain/schemas/leagues';
import type { Level } from '#domain/schemas/me';
import type { LineEntry, SetScoreInput } from '#domain/schemas/results';

/**
 * Believable, reproducible results for the demo season: each demo player has a hidden true
 * skill near their self-assessed level, and lines are played out game by game from it, so that
 * standings, ratings and streaks show real shapes on first start.
 */

/** A small deterministic pseudo-random generator (mulberry32): same seed, same season. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const LEVEL_CENTRE: Record<Level, number> = {
  beginner: -2,
  novice: -1,
  intermediate: 0,
  advanced: 1,
  expert: 2,
};

/** A hidden true skill: the level, give or take about half a level. */
export function trueSkill(level: Level, random: () => number): number {
  // The sum of three uniforms is a cheap bell curve.
  return LEVEL_CENTRE[level] + (random() + random() + random() - 1.5) * 0.6;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Plays one line to the end under `format` (sets of `gamesPerSet` with a tiebreak, or play on
 * until two clear; a match tiebreak to 10 as the decider when the format says so). Skills are
 * the sides' means; a skill edge of 1 wins about 60% of games.
 */
export function playLine(
  format: MatchFormat,
  home: number,
  away: number,
  random: () => number,
): SetScoreInput[] {
  const game = logistic(0.4 * (home - away));
  const point = logistic(0.15 * (home - away));
  const need = Math.ceil(format.bestOfSets / 2);
  const sets: SetScoreInput[] = [];
  let won = [0, 0];
  while ((won[0] ?? 0) < need && (won[1] ?? 0) < need) {
    const decider = (won[0] ?? 0) === need - 1 && (won[1] ?? 0) === need - 1;
    if (decider && format.finalSet === 'match_tiebreak' && format.bestOfSets >= 3) {
      const [h, a] = race(10, point, random);
      sets.push({ home: h, away: a });
      won = h > a ? [(won[0] ?? 0) + 1, won[1] ?? 0] : [won[0] ?? 0, (won[1] ?? 0) + 1];
      continue;
    }
    const set = playSet(format, game, random);
    sets.push(set);
    won = set.home > set.away ? [(won[0] ?? 0) + 1, won[1] ?? 0] : [won[0] ?? 0, (won[1] ?? 0) + 1];
  }
  return sets;
}

function playSet(format: MatchFormat, game: number, random: () => number): SetScoreInput {
  const g = format.gamesPerSet;
  const t = format.tiebreakAt;
  let h = 0;
  let a = 0;
  for (;;) {
    if (t !== null && h === t && a === t) {
      // The tiebreak: first to 7, two clear; only the loser's points are written.
      const [x, y] = race(7, game, random);
      return x > y ? { home: t + 1, away: t, tiebreak: y } : { home: t, away: t + 1, tiebreak: x };
    }
    if (random() < game) h++;
    else a++;
    const w = Math.max(h, a);
    const l = Math.min(h, a);
    if (w >= g && w - l >= 2) {
      return { home: h, away: a };
    }
  }
}

/** Points to `target`, win by two; returns both sides' points. */
function race(target: number, p: number, random: () => number): [number, number] {
  let x = 0;
  let y = 0;
  while (!((x >= target || y >= target) && Math.abs(x - y) >= 2)) {
    if (random() < p) x++;
    else y++;
  }
  return [x, y];
}

/**
 * A team match's lines for the demo: each side's roster shuffled into the format's lines (the
 * captain picks a different lineup every week), each line played out from the true skills.
 */
export function demoLines(
  format: MatchFormat,
  home: readonly string[],
  away: readonly string[],
  skill: ReadonlyMap<string, number>,
  random: () => number,
): LineEntry[] {
  const h = shuffle(home, random);
  const a = shuffle(away, random);
  const lines: LineEntry[] = [];
  for (const group of format.lines) {
    const size = group.kind === 'singles' ? 1 : 2;
    for (let line = 1; line <= group.count; line++) {
      const homePlayers = h.splice(0, size);
      const awayPlayers = a.splice(0, size);
      const mean = (ids: string[]) =>
        ids.reduce((sum, id) => sum + (skill.get(id) ?? 0), 0) / ids.length;
      lines.push({
        kind: group.kind,
        line,
        homePlayers,
        awayPlayers,
        outcome: 'completed',
        sets: playLine(format, mean(homePlayers), mean(awayPlayers), random),
      });
    }
  }
  return lines;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
