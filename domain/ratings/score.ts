/**
 * Match scores written from side a's point of view: `6-4 3-6 7-6(2)`.
 *
 * Sets are separated by single spaces. A set is `a-b` games; a tiebreak set may carry the
 * tiebreak loser's points in parentheses (`7-6(2)`); a deciding match tiebreak played instead of
 * a set is written in brackets (`[10-7]`). The syntax is strict but the game counts are not tied
 * to tennis, so pickleball (`11-7 11-9`) or table tennis (`11-9 9-11 11-5`) scores parse too.
 */

/** One set (or game, in sports that score by games to 11 or 21). */
export interface SetScore {
  /** Games won by side a. */
  readonly a: number;
  /** Games won by side b. */
  readonly b: number;
  /** Tiebreak loser's points when written, e.g. 2 for `7-6(2)`. */
  readonly tiebreak?: number;
  /** True for a match tiebreak written `[10-7]` in place of a deciding set. */
  readonly matchTiebreak?: boolean;
}

/** A parsed score with the totals the rating engine uses. */
export interface MatchScore {
  readonly sets: readonly SetScore[];
  /** Sets won by side a (a match tiebreak counts as a set). */
  readonly setsA: number;
  readonly setsB: number;
  /** Games won by side a; a match tiebreak counts as one game to its winner. */
  readonly gamesA: number;
  readonly gamesB: number;
  /** Which side won on this score. */
  readonly winner: 'a' | 'b';
}

export type ScoreResult = { ok: true; score: MatchScore } | { ok: false; error: string };

const SET = /^(\d{1,2})-(\d{1,2})(?:\((\d{1,2})\))?$/;
const MATCH_TIEBREAK = /^\[(\d{1,2})-(\d{1,2})\]$/;
const MAX_SETS = 7;

/**
 * Parses a score such as `6-4 3-6 7-6(2)` (side a's games first). Strict: returns a clear error
 * for anything it cannot read unambiguously rather than guessing.
 */
export function parseScore(text: string): ScoreResult {
  if (text.trim() === '') return { ok: false, error: 'score is empty' };
  if (text !== text.trim()) return { ok: false, error: 'score has leading or trailing spaces' };
  const parts = text.split(' ');
  if (parts.length > MAX_SETS) {
    return { ok: false, error: `score has ${parts.length} sets, at most ${MAX_SETS} allowed` };
  }
  const sets: SetScore[] = [];
  let setsA = 0;
  let setsB = 0;
  let gamesA = 0;
  let gamesB = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const where = `set ${i + 1} '${part}'`;
    if (part === '') return { ok: false, error: `set ${i + 1} is empty (double space?)` };
    const tb = MATCH_TIEBREAK.exec(part);
    if (tb) {
      if (i !== parts.length - 1) {
        return { ok: false, error: `${where}: a match tiebreak can only be the last set` };
      }
      const a = Number(tb[1]);
      const b = Number(tb[2]);
      if (a === b) return { ok: false, error: `${where}: a match tiebreak cannot be tied` };
      sets.push({ a, b, matchTiebreak: true });
      if (a > b) {
        setsA++;
        gamesA++;
      } else {
        setsB++;
        gamesB++;
      }
      continue;
    }
    const m = SET.exec(part);
    if (!m) {
      return {
        ok: false,
        error: `${where} is not games like 6-4, 7-6(5) or a match tiebreak like [10-7]`,
      };
    }
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a === b) return { ok: false, error: `${where}: a set cannot be tied` };
    if (m[3] !== undefined) {
      if (Math.abs(a - b) !== 1) {
        return { ok: false, error: `${where}: tiebreak points only follow a set won by one game` };
      }
      sets.push({ a, b, tiebreak: Number(m[3]) });
    } else {
      sets.push({ a, b });
    }
    if (a > b) setsA++;
    else setsB++;
    gamesA += a;
    gamesB += b;
  }
  if (setsA === setsB) {
    return { ok: false, error: `score has no winner: ${setsA} sets each` };
  }
  return {
    ok: true,
    score: { sets, setsA, setsB, gamesA, gamesB, winner: setsA > setsB ? 'a' : 'b' },
  };
}
