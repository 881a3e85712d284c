import type { MatchFormat } from '../schemas/leagues';

/**
 * How a line ended: played out (`completed`), a player retired hurt (`retired`), a side did not
 * turn up (`walkover`), or a side was defaulted, e.g. for conduct (`default`).
 */
export const LINE_OUTCOMES = ['completed', 'retired', 'walkover', 'default'] as const;
/** How a line ended; see {@link LINE_OUTCOMES}. */
export type LineOutcome = (typeof LINE_OUTCOMES)[number];
/** A side of a team match, and of each of its lines: the home team's players or the away team's. */
export type Side = 'home' | 'away';

/** One set as entered, home games first. `tiebreak`: the tiebreak LOSER's points, only on a set decided by a tiebreak (written 7-6(5)). A match tiebreak played as the deciding set is a set whose numbers are points (10-7). */
export interface SetInput {
  home: number;
  away: number;
  tiebreak?: number | null;
}

/** A line's score as entered: how it ended, its sets, and (required unless completed) who won. */
export interface LineScoreInput {
  outcome: LineOutcome;
  sets: SetInput[];
  winner?: Side | null;
}

/** `path` is relative to the line: e.g. ['sets', 1, 'away'], ['winner'], ['sets']. */
export interface ScoreProblem {
  path: (string | number)[];
  message: string;
}

/** A checked line score, with the totals standings and ratings use. */
export interface LineResult {
  outcome: LineOutcome;
  winner: Side;
  /** As played, normalised: `tiebreak` only where it was given on a set decided by a tiebreak. */
  sets: SetInput[];
  /** Totals credited for standings (see {@link checkLineScore} for the crediting rules). */
  setsHome: number;
  setsAway: number;
  gamesHome: number;
  gamesAway: number;
  /** Score text, home side first: '6-4 3-6 [10-7]', '7-6(5) 6-3', '6-3 2-1 ret.', 'w/o', 'def.' (with sets if any: '4-6 def.'). */
  text: string;
  /** Whether the line should move player ratings: completed, or retired/default after at least one game was played. */
  rated: boolean;
  /** Games actually played, for the rating engine's margin: only for `completed`, else null. Match tiebreak counts as one game to its winner. */
  ratingGames: { home: number; away: number } | null;
}

/** The totals of a team match, summed over its lines. */
export interface TeamMatchTotals {
  winner: Side | 'tie';
  linesHome: number;
  linesAway: number;
  setsHome: number;
  setsAway: number;
  gamesHome: number;
  gamesAway: number;
  /** Lines each side lost by walkover or default (forfeits, a standings tiebreaker). */
  forfeitsHome: number;
  forfeitsAway: number;
}

/** Entered numbers above this are typing mistakes, not scores. */
const MAX_ENTRY = 99;
/** A match tiebreak is first to 10 points, win by two. */
const MATCH_TIEBREAK_POINTS = 10;

/** A normal set counts games; a deciding match tiebreak counts points. */
type SetKind = 'set' | 'match_tiebreak';

/** A set that passed its checks, kept with what the crediting needs to know about it. */
interface PlayedSet {
  readonly input: SetInput;
  readonly kind: SetKind;
  /** Null while the set was stopped unfinished (only the last set of a retired/default line). */
  readonly winner: Side | null;
}

const other = (side: Side): Side => (side === 'home' ? 'away' : 'home');

/** Sets a side needs to win the line: 2 of 3, 3 of 5, 1 of 1. */
function setsToWin(format: MatchFormat): number {
  return Math.ceil(format.bestOfSets / 2);
}

/** Whether the next set, at this sets score, is played as a match tiebreak. */
function isMatchTiebreakNext(format: MatchFormat, setsHome: number, setsAway: number): boolean {
  return (
    format.finalSet === 'match_tiebreak' &&
    format.bestOfSets >= 3 &&
    setsHome === setsAway &&
    setsHome === (format.bestOfSets - 1) / 2
  );
}

/** Whether `w`-`l` (winner first) is a finished normal set under the format. */
function isFinishedSet(format: MatchFormat, w: number, l: number): boolean {
  const g = format.gamesPerSet;
  const t = format.tiebreakAt;
  if (w <= l) return false;
  if (w === g && l <= g - 2) return true;
  // Without a tiebreak the set goes on until one side is two games clear.
  if (t === null) return w > g && w - l === 2;
  return (l >= g - 1 && w === l + 2 && l < t) || isTiebreakSet(format, w, l);
}

/** Whether `w`-`l` is the set a tiebreak decided (7-6 at tiebreak 6), the only set with tiebreak points. */
function isTiebreakSet(format: MatchFormat, w: number, l: number): boolean {
  const t = format.tiebreakAt;
  return t !== null && l === t && w === t + 1;
}

/** Whether `w`-`l` points is a finished match tiebreak: first to 10, win by two. */
function isFinishedMatchTiebreak(w: number, l: number): boolean {
  if (w <= l || w < MATCH_TIEBREAK_POINTS) return false;
  return w === MATCH_TIEBREAK_POINTS ? l <= MATCH_TIEBREAK_POINTS - 2 : w - l === 2;
}

function isFinished(format: MatchFormat, kind: SetKind, home: number, away: number): boolean {
  const w = Math.max(home, away);
  const l = Math.min(home, away);
  return kind === 'set' ? isFinishedSet(format, w, l) : isFinishedMatchTiebreak(w, l);
}

/**
 * Whether play can stand at `home`-`away` with the set still going. Defined by play itself rather
 * than by formula, so odd formats (a tiebreak well below the games per set) stay right: the score
 * is unfinished and some game-by-game path from 0-0 reaches it without passing a finished score.
 */
function isInProgress(format: MatchFormat, kind: SetKind, home: number, away: number): boolean {
  if (isFinished(format, kind, home, away)) return false;
  const width = away + 1;
  const reach: boolean[] = [];
  for (let h = 0; h <= home; h++) {
    for (let a = 0; a <= away; a++) {
      reach[h * width + a] =
        (h === 0 && a === 0) ||
        (h > 0 && reach[(h - 1) * width + a] === true && !isFinished(format, kind, h - 1, a)) ||
        (a > 0 && reach[h * width + a - 1] === true && !isFinished(format, kind, h, a - 1));
    }
  }
  return reach[home * width + away] === true;
}

/** `a, b, or c`. */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
}

/** How a set is won under the format, in words, e.g. "6-0 to 6-4, 7-5, or 7-6 after a tiebreak at 6-6". */
function describeSetRule(format: MatchFormat, kind: SetKind): string {
  if (kind === 'match_tiebreak') {
    const p = MATCH_TIEBREAK_POINTS;
    return `a match tiebreak is won ${p}-0 to ${p}-${p - 2}, or by two points from ${p - 1}-${p - 1} on (${p + 1}-${p - 1}, ${p + 2}-${p} and so on)`;
  }
  const g = format.gamesPerSet;
  const t = format.tiebreakAt;
  const ways: string[] = [];
  if (g >= 2) ways.push(g === 2 ? `${g}-0` : `${g}-0 to ${g}-${g - 2}`);
  if (t === null) {
    ways.push(
      `by two games from ${g - 1}-${g - 1} on (${g + 1}-${g - 1}, ${g + 2}-${g} and so on)`,
    );
  } else {
    for (let l = Math.max(g - 1, 0); l < t; l++) ways.push(`${l + 2}-${l}`);
    ways.push(`${t + 1}-${t} after a tiebreak at ${t}-${t}`);
  }
  return `a set is won ${orList(ways)}`;
}

const isCount = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_ENTRY;

/** The least the winner would have needed to finish an unfinished set, the loser's games unchanged. */
function minimalWinningGames(format: MatchFormat, winnerGames: number, loserGames: number): number {
  // Bounded: a reachable unfinished score is always finishable, the cap only guards odd input.
  for (let w = winnerGames; w <= winnerGames + 2 * MAX_ENTRY; w++) {
    if (w > loserGames && isFinishedSet(format, w, loserGames)) return w;
  }
  return Math.max(format.gamesPerSet, loserGames + 2);
}

function setText(set: PlayedSet): string {
  const { home, away, tiebreak } = set.input;
  if (set.kind === 'match_tiebreak') return `[${home}-${away}]`;
  return tiebreak == null ? `${home}-${away}` : `${home}-${away}(${tiebreak})`;
}

/**
 * Checks one line's score against the league's match format and, when it is valid, works out
 * the winner, the score text and the totals standings use. Problems are collected (every bad set,
 * a missing winner, …), each with a path relative to the line, rather than stopping at the first.
 *
 * Sets: a normal set is won with `gamesPerSet` games two clear (6-0 to 6-4), or, with a tiebreak
 * at T, 7-5 / 7-6 style scores (`(T+1)-T` after the tiebreak); without a tiebreak the set goes on
 * until one side is two clear. Tiebreak points (the loser's) go only on a tiebreak set. With
 * `finalSet: 'match_tiebreak'` and best of 3 or 5, the deciding set is a match tiebreak in points:
 * first to 10, win by two.
 *
 * Crediting for standings (USTA-style):
 * - `completed`: as played; a match tiebreak is one set and one game to its winner.
 * - `retired` / `default` with sets: as played, then the winner is credited what they still
 *   needed: the unfinished set completed in their favour with the fewest games from its score
 *   (3-2 → 6-2, 2-5 → 7-5, 6-6 → 7-6 at tiebreak 6), then further sets at `gamesPerSet`-0 until
 *   they have the sets to win; a match tiebreak that would decide is one set and one game.
 * - `walkover`, or `default` with no sets: a straight-sets win for the winner, each set
 *   `gamesPerSet`-0 (6-0 6-0 in best of 3).
 *
 * A `retired` or `default` line may stop in its last set (all earlier sets finished) but not once
 * the sets have decided the match: that line was completed.
 */
export function checkLineScore(
  format: MatchFormat,
  input: LineScoreInput,
): { ok: true; result: LineResult } | { ok: false; problems: ScoreProblem[] } {
  const problems: ScoreProblem[] = [];
  const { outcome } = input;
  if (!(LINE_OUTCOMES as readonly string[]).includes(outcome)) {
    return {
      ok: false,
      problems: [
        { path: ['outcome'], message: `Say how the line ended: ${LINE_OUTCOMES.join(', ')}` },
      ],
    };
  }
  const given = input.winner ?? null;
  if (given !== null && given !== 'home' && given !== 'away') {
    problems.push({ path: ['winner'], message: 'The winner is home or away' });
  }
  const winnerGiven = given === 'home' || given === 'away' ? given : null;
  if (outcome !== 'completed' && given === null) {
    const who = {
      retired: 'the side that did not retire',
      default: 'the side that was not defaulted',
      walkover: 'the side that turned up',
    }[outcome];
    problems.push({ path: ['winner'], message: `Say who won: ${who}` });
  }
  const sets: readonly SetInput[] = Array.isArray(input.sets) ? input.sets : [];
  if (!Array.isArray(input.sets)) problems.push({ path: ['sets'], message: 'Sets must be a list' });

  const need = setsToWin(format);
  const played: PlayedSet[] = [];
  let setsHome = 0;
  let setsAway = 0;
  let setProblems = false;

  if (outcome === 'walkover') {
    if (sets.length > 0) {
      problems.push({ path: ['sets'], message: 'A walkover has no sets: no ball was struck' });
    }
  } else {
    sets.forEach((set, i) => {
      const label = `Set ${i + 1}`;
      const at = (...rest: string[]): (string | number)[] => ['sets', i, ...rest];
      if (setsHome >= need || setsAway >= need) {
        problems.push({
          path: at(),
          message: `${label}: the match was already won ${setsHome}-${setsAway} in sets, so no set follows`,
        });
        setProblems = true;
        return;
      }
      if (i >= format.bestOfSets) {
        problems.push({
          path: at(),
          message: `${label}: a best-of-${format.bestOfSets} line has at most ${format.bestOfSets} set${format.bestOfSets === 1 ? '' : 's'}`,
        });
        setProblems = true;
        return;
      }
      const kind: SetKind = isMatchTiebreakNext(format, setsHome, setsAway)
        ? 'match_tiebreak'
        : 'set';
      const unit = kind === 'set' ? 'games' : 'points';
      let fieldsOk = true;
      for (const side of ['home', 'away'] as const) {
        if (!isCount(set[side])) {
          problems.push({
            path: at(side),
            message: `${label}: ${side} ${unit} must be a whole number from 0 to ${MAX_ENTRY}`,
          });
          fieldsOk = false;
        }
      }
      const tiebreak = set.tiebreak ?? null;
      if (tiebreak !== null && !isCount(tiebreak)) {
        problems.push({
          path: at('tiebreak'),
          message: `${label}: tiebreak points must be a whole number from 0 to ${MAX_ENTRY}`,
        });
        fieldsOk = false;
      }
      if (!fieldsOk) {
        setProblems = true;
        return;
      }
      const { home, away } = set;
      const score = `${home}-${away}`;
      const mayStop = i === sets.length - 1 && (outcome === 'retired' || outcome === 'default');
      const finished = isFinished(format, kind, home, away);
      if (finished) {
        const w = Math.max(home, away);
        const l = Math.min(home, away);
        if (tiebreak !== null && (kind === 'match_tiebreak' || !isTiebreakSet(format, w, l))) {
          problems.push({
            path: at('tiebreak'),
            message:
              kind === 'match_tiebreak'
                ? `${label}: a match tiebreak is entered as its points (${score}); it has no tiebreak score of its own`
                : format.tiebreakAt === null
                  ? `${label}: this league plays no tiebreaks, so ${score} has no tiebreak points`
                  : `${label}: tiebreak points go only with a set decided by a tiebreak (${format.tiebreakAt + 1}-${format.tiebreakAt}), not ${score}`,
          });
          setProblems = true;
        }
        const winner: Side = home > away ? 'home' : 'away';
        if (winner === 'home') setsHome++;
        else setsAway++;
        played.push({ input: normalised(set, tiebreak), kind, winner });
        return;
      }
      const inProgress = isInProgress(format, kind, home, away);
      if (mayStop && inProgress) {
        if (tiebreak !== null) {
          problems.push({
            path: at('tiebreak'),
            message: `${label}: tiebreak points go only with a finished tiebreak set, not an unfinished ${score}`,
          });
          setProblems = true;
        }
        played.push({ input: { home, away }, kind, winner: null });
        return;
      }
      const what = kind === 'set' ? 'set' : 'match tiebreak';
      let message: string;
      if (!inProgress) {
        message = `${label}: ${score} is not a possible ${what} score; ${describeSetRule(format, kind)}`;
      } else if (outcome === 'completed') {
        message = `${label}: ${score} is not a finished ${what}; ${describeSetRule(format, kind)} (if play stopped, enter the line as retired or default)`;
      } else {
        message = `${label}: ${score} is not a finished ${what}; only the last set may be left unfinished`;
      }
      problems.push({ path: at(), message });
      setProblems = true;
      // Counted for the sets score anyway, so later sets are judged at the score the players saw.
      if (home !== away) {
        if (home > away) setsHome++;
        else setsAway++;
      }
    });
  }

  const decided = setsHome >= need || setsAway >= need;
  if (outcome === 'completed') {
    if (sets.length === 0) {
      problems.push({ path: ['sets'], message: 'A completed line needs its sets' });
    } else if (!setProblems && !decided) {
      problems.push({
        path: ['sets'],
        message: `The match is not finished at ${setsHome}-${setsAway} in sets: a side needs ${need} to win (if play stopped, enter the line as retired or default)`,
      });
    } else if (!setProblems && winnerGiven !== null) {
      const computed: Side = setsHome > setsAway ? 'home' : 'away';
      if (computed !== winnerGiven) {
        problems.push({
          path: ['winner'],
          message: `The sets say ${computed} won ${setsHome}-${setsAway}, not ${winnerGiven}`,
        });
      }
    }
  } else if (outcome === 'retired' || outcome === 'default') {
    if (outcome === 'retired' && sets.length === 0) {
      problems.push({
        path: ['sets'],
        message:
          'A retirement needs the score when play stopped; if no ball was struck, enter a walkover',
      });
    }
    // With a bad set the sets score is a guess, so the set's own problem is the one to report.
    if (decided && !setProblems) {
      problems.push({
        path: ['sets'],
        message: `The sets already decide the match ${setsHome}-${setsAway}; enter the line as completed`,
      });
    }
  }

  const winner: Side | null =
    outcome === 'completed' ? (setsHome > setsAway ? 'home' : 'away') : winnerGiven;
  // A missing winner outside `completed` was reported above; the check only narrows the type.
  if (problems.length > 0 || winner === null) return { ok: false, problems };
  return { ok: true, result: credit(format, outcome, winner, played) };
}

/** The set as it is kept: the tiebreak only where one was given (the checks placed it). */
function normalised(set: SetInput, tiebreak: number | null): SetInput {
  return tiebreak === null
    ? { home: set.home, away: set.away }
    : { home: set.home, away: set.away, tiebreak };
}

/** Totals, text and rating fields of a checked line, by the crediting rules on {@link checkLineScore}. */
function credit(
  format: MatchFormat,
  outcome: LineOutcome,
  winner: Side,
  played: readonly PlayedSet[],
): LineResult {
  const sets = { home: 0, away: 0 };
  const games = { home: 0, away: 0 };
  let anyGame = false;
  for (const s of played) {
    const { home, away } = s.input;
    if (home + away > 0) anyGame = true;
    if (s.kind === 'match_tiebreak') {
      // Points are not games: a match tiebreak is one game to its winner, none while unfinished.
      if (s.winner !== null) {
        sets[s.winner]++;
        games[s.winner]++;
      }
      continue;
    }
    games.home += home;
    games.away += away;
    if (s.winner !== null) sets[s.winner]++;
  }
  const ratingGames = outcome === 'completed' ? { ...games } : null;

  if (outcome !== 'completed') {
    const need = setsToWin(format);
    const last = played[played.length - 1];
    if (last !== undefined && last.winner === null) {
      // The stopped set is finished in the winner's favour with the fewest games from its score.
      if (last.kind === 'match_tiebreak') {
        games[winner]++;
      } else {
        const mine = last.input[winner];
        const theirs = last.input[other(winner)];
        games[winner] += minimalWinningGames(format, mine, theirs) - mine;
      }
      sets[winner]++;
    }
    while (sets[winner] < need) {
      const matchTiebreak = isMatchTiebreakNext(format, sets.home, sets.away);
      games[winner] += matchTiebreak ? 1 : format.gamesPerSet;
      sets[winner]++;
    }
  }

  const setTexts = played.map(setText);
  const text =
    outcome === 'completed'
      ? setTexts.join(' ')
      : outcome === 'walkover'
        ? 'w/o'
        : [...setTexts, outcome === 'retired' ? 'ret.' : 'def.'].join(' ');
  return {
    outcome,
    winner,
    sets: played.map((s) => s.input),
    setsHome: sets.home,
    setsAway: sets.away,
    gamesHome: games.home,
    gamesAway: games.away,
    text,
    rated: outcome === 'completed' || (outcome !== 'walkover' && anyGame),
    ratingGames,
  };
}

/** The team match's result from its lines' results, by format.teamMatchWinner (lines, then sets, then games as the natural fallbacks are NOT applied: the format's single criterion decides; equal → 'tie'). */
export function teamMatchResult(
  format: MatchFormat,
  lines: readonly LineResult[],
): TeamMatchTotals {
  const t = {
    linesHome: 0,
    linesAway: 0,
    setsHome: 0,
    setsAway: 0,
    gamesHome: 0,
    gamesAway: 0,
    forfeitsHome: 0,
    forfeitsAway: 0,
  };
  for (const line of lines) {
    if (line.winner === 'home') t.linesHome++;
    else t.linesAway++;
    t.setsHome += line.setsHome;
    t.setsAway += line.setsAway;
    t.gamesHome += line.gamesHome;
    t.gamesAway += line.gamesAway;
    // A forfeit counts against the side that lost the line without playing it out.
    if (line.outcome === 'walkover' || line.outcome === 'default') {
      if (line.winner === 'home') t.forfeitsAway++;
      else t.forfeitsHome++;
    }
  }
  const [home, away] = {
    lines: [t.linesHome, t.linesAway],
    sets: [t.setsHome, t.setsAway],
    games: [t.gamesHome, t.gamesAway],
  }[format.teamMatchWinner] as [number, number];
  const winner: Side | 'tie' = home > away ? 'home' : away > home ? 'away' : 'tie';
  return { winner, ...t };
}
