import { parseIsoDay } from './dates';
import { parseScore } from './score';

/** The header of a matches file, as replayed by `rally ratings replay`. */
export const MATCHES_HEADER = 'match_id,date,player_a,player_b,winner,score';

/**
 * One row of a matches file, reused from row to row by the replay so that reading a million
 * rows allocates little. Singles leave `a2`/`b2` empty.
 */
export interface MatchRow {
  matchId: string;
  day: number;
  a1: string;
  a2: string;
  b1: string;
  b2: string;
  aWon: boolean;
  /** Games won by each side, or -1 when the score is empty or unusable. */
  gamesA: number;
  gamesB: number;
  /** Sets won by each side, or -1 when the score is empty or unusable. */
  setsA: number;
  setsB: number;
  /** Why a non-empty score was not used (the row still counts, on its winner), else null. */
  scoreProblem: string | null;
}

/** A fresh row to pass to parseMatchRow. */
export function emptyMatchRow(): MatchRow {
  return {
    matchId: '',
    day: 0,
    a1: '',
    a2: '',
    b1: '',
    b2: '',
    aWon: false,
    gamesA: -1,
    gamesB: -1,
    setsA: -1,
    setsB: -1,
    scoreProblem: null,
  };
}

/**
 * Parses one data line of a matches file into `row`. Returns null on success or the reason the
 * line is malformed. A side is `id` (singles) or `id1+id2` (doubles). The winner column is the
 * result; the score is extra evidence, so a score that cannot be read or that contradicts the
 * winner only sets `row.scoreProblem` and leaves the games unknown.
 */
export function parseMatchRow(line: string, row: MatchRow): string | null {
  const c1 = line.indexOf(',');
  const c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
  const c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
  const c4 = c3 < 0 ? -1 : line.indexOf(',', c3 + 1);
  const c5 = c4 < 0 ? -1 : line.indexOf(',', c4 + 1);
  if (c5 < 0 || line.indexOf(',', c5 + 1) >= 0) {
    const fields = line.split(',').length;
    return `expected 6 comma-separated fields (${MATCHES_HEADER}), found ${fields}`;
  }
  if (line.indexOf('"') >= 0) return 'quoted fields are not supported';
  const matchId = line.slice(0, c1);
  if (matchId.trim() === '') return 'match_id is empty';
  const date = line.slice(c1 + 1, c2);
  const day = parseIsoDay(date);
  if (Number.isNaN(day)) return `date '${date}' is not a valid YYYY-MM-DD date`;
  const sideA = line.slice(c2 + 1, c3);
  const sideB = line.slice(c3 + 1, c4);
  const plusA = sideA.indexOf('+');
  const plusB = sideB.indexOf('+');
  const a1 = plusA < 0 ? sideA : sideA.slice(0, plusA);
  const a2 = plusA < 0 ? '' : sideA.slice(plusA + 1);
  const b1 = plusB < 0 ? sideB : sideB.slice(0, plusB);
  const b2 = plusB < 0 ? '' : sideB.slice(plusB + 1);
  const sideProblem = checkSide('player_a', sideA, a1, a2) ?? checkSide('player_b', sideB, b1, b2);
  if (sideProblem) return sideProblem;
  if (plusA < 0 !== plusB < 0) return 'one side is doubles (id1+id2) and the other singles';
  if (a1 === b1 || a1 === b2 || (a2 !== '' && (a2 === b1 || a2 === b2))) {
    return 'a player appears on both sides';
  }
  const winner = line.slice(c4 + 1, c5);
  if (winner !== 'a' && winner !== 'b') return `winner '${winner}' must be 'a' or 'b'`;
  row.matchId = matchId;
  row.day = day;
  row.a1 = a1;
  row.a2 = a2;
  row.b1 = b1;
  row.b2 = b2;
  row.aWon = winner === 'a';
  row.gamesA = -1;
  row.gamesB = -1;
  row.setsA = -1;
  row.setsB = -1;
  row.scoreProblem = null;
  const scoreText = line.slice(c5 + 1);
  if (scoreText !== '') {
    const parsed = parseScore(scoreText);
    if (!parsed.ok) {
      row.scoreProblem = parsed.error;
    } else if (parsed.score.winner !== winner) {
      row.scoreProblem = `score '${scoreText}' says side ${parsed.score.winner} won, winner says ${winner}`;
    } else {
      row.gamesA = parsed.score.gamesA;
      row.gamesB = parsed.score.gamesB;
      row.setsA = parsed.score.setsA;
      row.setsB = parsed.score.setsB;
    }
  }
  return null;
}

function checkSide(column: string, side: string, p1: string, p2: string): string | null {
  if (side === '') return `${column} is empty`;
  if (p1 === '' || (side.indexOf('+') >= 0 && p2 === '')) {
    return `${column} '${side}' has an empty player id`;
  }
  if (p2.indexOf('+') >= 0) return `${column} '${side}' has more than two players`;
  if (p1 === p2) return `${column} '${side}' names the same player twice`;
  if (side !== side.trim()) return `${column} '${side}' has leading or trailing spaces`;
  return null;
}
