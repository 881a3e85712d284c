import type { Level } from '../schemas/me';
import { formatIsoDay, monthOfDay, parseIsoDay } from './dates';

/**
 * Tunable constants of the engine. Skills live on a natural-logit scale: a skill gap of 1 means
 * the stronger side wins about 73% of the time when both ratings are certain.
 */
export interface RatingParams {
  /** Prior standard deviation of a player first seen in a match, with no level given. */
  readonly initialDeviation: number;
  /**
   * Prior standard deviation of a player who gave a self-assessed level at onboarding. Not
   * measurable on historical results (they carry no levels): 0.8 means the self-assessment is
   * trusted to within about one level.
   */
  readonly levelDeviation: number;
  /** Skill variance added per day without a match: ratings grow uncertain with inactivity. */
  readonly dailyDrift: number;
  /** Skill variance added before every match, so that established ratings keep learning. */
  readonly matchDrift: number;
  /** Lower bound of a player's deviation, so that no rating freezes. */
  readonly minDeviation: number;
  /** How strongly the two sides' uncertainty pulls a prediction towards 50%. */
  readonly uncertaintyShrink: number;
  /** Weight of the share of games won, relative to the win/loss, as evidence (0 ignores scores). */
  readonly marginWeight: number;
  /** Slope of a side's expected share of games in the skill gap. */
  readonly gameSlope: number;
  /**
   * Prior standard deviation of a player's form in each month of the year, around their
   * rating (0 turns seasonal form off). In tennis it stands for the surfaces of the season.
   */
  readonly seasonalDeviation: number;
  /**
   * Career stage, a population prior on how skill moves between matches: skill gained per year
   * (logits) during a player's first `youthYears` years since their first match, and lost per year
   * after `veteranYears`. 0 turns either off. It moves the rating only at the player's next match
   * and never turns a win into a drop or a loss into a rise.
   */
  readonly youthGrowth: number;
  readonly youthYears: number;
  readonly veteranDecline: number;
  readonly veteranYears: number;
  /**
   * Match format: a race to k sets (best of 2k − 1) spreads results further apart than the usual
   * best of three, by √((2k − 1)/3) on the logit scale to the power 2·`formatExponent` (0.5 is that
   * square root; 0 turns it off). The format counts for a prediction only when known before the
   * match — from a player's earlier match on the same date (same event), whose winner's sets show
   * it — and for the update once the score reveals it. It is measured against each player's usual
   * format, so a sport that always plays longer matches is not amplified.
   */
  readonly formatExponent: number;
  /** How fast a player's usual format follows the formats they play (1 = only the last match). */
  readonly formatRate: number;
}

/** The parameters chosen on ATP seasons before 2014 (see docs/decisions/0002-rating-engine.md). */
export const DEFAULT_PARAMS: RatingParams = {
  initialDeviation: 0.38,
  levelDeviation: 0.8,
  dailyDrift: 0.0002,
  matchDrift: 0.001,
  minDeviation: 0.05,
  uncertaintyShrink: 5,
  marginWeight: 18,
  gameSlope: 0.3,
  seasonalDeviation: 0.24,
  youthGrowth: 0.1,
  youthYears: 4,
  veteranDecline: 0.1,
  veteranYears: 8,
  formatExponent: 0.5,
  formatRate: 0.03,
};

const PROBIT = 3 / (Math.PI * Math.PI);
const MONTHS = 12;

/** Skill at onboarding for each self-assessed level; a step of 1 is a 73% edge. */
export const LEVEL_SKILL: Readonly<Record<Level, number>> = {
  beginner: -2,
  novice: -1,
  intermediate: 0,
  advanced: 1,
  expert: 2,
};

/** Display scale: Elo-like points, 1500 for an average player, 400 points for a 10:1 edge. */
export const DISPLAY_CENTRE = 1500;
export const DISPLAY_SCALE = 400 / Math.LN10;

/** A player's rating as shown to people. */
export interface PlayerRating {
  readonly id: string;
  /** Elo-like display rating (1500 is average). */
  readonly rating: number;
  /** Display-scale standard deviation: the true level is most likely within ±2 deviations. */
  readonly deviation: number;
  /** Reliability in [0, 1]: 0 for a newly onboarded player, towards 1 with regular play. */
  readonly reliability: number;
  /**
   * Display points to add to the rating for each month of the year (January first): how the
   * player tends to play at that time of year, e.g. on the surfaces of the season.
   */
  readonly monthlyForm: readonly number[];
  readonly matches: number;
  /** ISO date of the last match, or null if none yet. */
  readonly lastPlayed: string | null;
}

/**
 * A player's whole belief as plain JSON, to store between requests and load into a fresh engine:
 * the engine is player-local, so loading the players of a match and updating them gives exactly
 * what a replay of every earlier result would. Skills are on the internal logit scale.
 */
export interface PlayerState {
  readonly id: string;
  readonly mu: number;
  readonly variance: number;
  /** Day numbers (see parseIsoDay) of the first and last match, null before any. */
  readonly firstDay: number | null;
  readonly lastDay: number | null;
  readonly matches: number;
  /** Month-of-year form and its variance, January first. */
  readonly form: readonly number[];
  readonly formVariance: readonly number[];
  /**
   * Sets won by the winner of the player's last match (the format: 2 for best of three), 0 when
   * unknown. With `lastDay` it tells a later match on the same date its format. Absent in states
   * saved before it existed, which read as 0.
   */
  readonly lastSetsToWin?: number;
  /** The player's usual format, as a log-scale amplification (0 = best of three). */
  readonly usualFormat?: number;
}

/** A match side: one player id (singles) or two (doubles). */
export type Side = readonly [string] | readonly [string, string];

/** A result to learn from. */
export interface MatchResult {
  readonly sideA: Side;
  readonly sideB: Side;
  /** ISO date `YYYY-MM-DD`; results must be given in date order. */
  readonly date: string;
  readonly winner: 'a' | 'b';
  /** Games won by each side, when the score is known (see parseScore). */
  readonly games?: { readonly a: number; readonly b: number };
  /**
   * Sets won by each side, when the score is known (see parseScore): the winner's sets reveal
   * the format (best of three, of five), which later matches on the same date share.
   */
  readonly sets?: { readonly a: number; readonly b: number };
}

/** What moved one player's rating in one match, in display points. */
export interface PlayerMove {
  readonly id: string;
  /** Rating after the previous match. */
  readonly before: number;
  readonly after: number;
  /** Total change of the rating: `result + margin + career`. */
  readonly change: number;
  /** Part of the change due to winning or losing, against the expected result. */
  readonly result: number;
  /** Part of the change due to the share of games won, against the expected share. */
  readonly margin: number;
  /**
   * Part of the change due to the player's career stage over the days since their previous
   * match: a newer player's expected improvement, a veteran's expected decline.
   */
  readonly career: number;
  /**
   * Change of the player's form for this month of the year, which the match also taught us
   * (not part of `change`): the rest of the surprise, attributed to the time of year.
   */
  readonly seasonalForm: number;
  readonly deviationBefore: number;
  /** Deviation added by the days since the previous match (inactivity). */
  readonly inactivityDeviation: number;
  readonly deviationAfter: number;
  /**
   * How strongly this match moved the player (the Kalman gain, in skill per unit of surprise):
   * large when the rating was uncertain, small for a well-established one.
   */
  readonly stepSize: number;
}

/** The explanation of one update, for "why my rating moved". */
export interface MatchExplanation {
  /** Probability that side a would win, before the result. */
  readonly expected: number;
  /** 1 if side a won, else 0. */
  readonly actual: 0 | 1;
  /** Side a's expected share of games. */
  readonly expectedGameShare: number;
  /** Side a's actual share of games, or null without a score. */
  readonly actualGameShare: number | null;
  /**
   * Sets to win known before the match, from a player's earlier match on the same date (same
   * event), or null when unknown.
   */
  readonly setsToWin: number | null;
  /**
   * How much that known format spread the prediction on the logit scale (1 = the player's usual
   * format, or unknown; √(5/3) ≈ 1.29 for best of five when best of three is usual).
   */
  readonly formatFactor: number;
  /** Side a's players first, then side b's. */
  readonly players: readonly PlayerMove[];
}

/**
 * Sequential rating engine for singles and doubles.
 *
 * Each player holds a Gaussian belief about their skill (mean and variance), plus a small form
 * for each month of the year. Before a match the variance grows with the days since the player's
 * last match; the match then updates the belief by one extended-Kalman-filter step (as in Glicko)
 * on two pieces of evidence: who won and, when the score is known, the share of games won. The
 * surprise is shared between the rating and that month's form in proportion to their variances.
 * Between matches the mean also follows a population prior on careers (improvement in the first
 * years after a player's first match, decline after many years), which never reverses the
 * direction a result moves the rating. The prediction itself is pulled towards 50% when either
 * side's rating is uncertain, and spread further apart when the match is known to be longer than
 * the players' usual format (a best of five, seen in a player's earlier match on the same date). Pure and deterministic: the same results in the same order always
 * give the same ratings.
 *
 * In the product, register each player with `newPlayer(id, level)` before their first match.
 * Ids the engine has never seen (as in a replay of historical results) start from a prior chosen
 * on professional tennis, where newcomers are a narrow group.
 */
export class RatingEngine {
  readonly params: RatingParams;
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private count = 0;
  // Struct of arrays, so that the replay's hot path stays cheap however many players there are.
  private mu = new Float64Array(1024);
  private v = new Float64Array(1024);
  private last = new Float64Array(1024);
  private played = new Uint32Array(1024);
  // Day of each player's first match (start of their career), NaN before it.
  private first = new Float64Array(1024);
  // Month-of-year form and its variance, MONTHS entries per player.
  private form = new Float64Array(1024 * MONTHS);
  // Winner's sets of each player's last match (0 unknown) and their usual format (log scale).
  private lastSets = new Uint8Array(1024);
  private usual = new Float64Array(1024);
  private formV = new Float64Array(1024 * MONTHS);
  // Per-match scratch for up to four players (a1, a2, b1, b2), carried forward to the match day.
  private readonly slotMu = new Float64Array(4);
  private readonly slotV = new Float64Array(4);
  private readonly slotFormV = new Float64Array(4);
  private readonly slotSeasonal = new Float64Array(4);
  private readonly slotResult = new Float64Array(4);
  private readonly slotMargin = new Float64Array(4);
  private readonly slotCareer = new Float64Array(4);
  private readonly slotGain = new Float64Array(4);
  private expectedShare = 0.5;
  private month = 0;
  private knownSets = 0;
  private formatFactor = 1;
  private usualNow = 0;
  // formatLog(k) for k = 0 … 255 sets, so that the hot path takes no logarithm.
  private readonly formatLogs = new Float64Array(256);

  constructor(params: Partial<RatingParams> = {}) {
    this.params = { ...DEFAULT_PARAMS, ...params };
    for (let k = 1; k < 256; k++) {
      this.formatLogs[k] = this.params.formatExponent * Math.log((2 * k - 1) / 3);
    }
  }

  /**
   * Registers a player with the starting rating of their self-assessed level and a high
   * uncertainty. A player the engine already knows keeps their rating.
   */
  newPlayer(id: string, level: Level): PlayerRating {
    if (id === '') throw new RangeError('player ids must not be empty');
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.add(id);
      this.mu[i] = LEVEL_SKILL[level];
      this.v[i] = this.params.levelDeviation ** 2;
    }
    return this.describe(i);
  }

  /** The current rating of a player, or undefined if the engine has never seen them. */
  rating(id: string): PlayerRating | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.describe(i);
  }

  /** All known players, in the order they were first seen. */
  ratings(): PlayerRating[] {
    const out: PlayerRating[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.describe(i));
    return out;
  }

  /** The stored form of a player's belief, or undefined if the engine has never seen them. */
  exportPlayer(id: string): PlayerState | undefined {
    const i = this.index.get(id);
    if (i === undefined) return undefined;
    const first = this.first[i] ?? Number.NaN;
    const last = this.last[i] ?? Number.NaN;
    return {
      id,
      mu: this.mu[i] ?? 0,
      variance: this.v[i] ?? 0,
      firstDay: Number.isNaN(first) ? null : first,
      lastDay: Number.isNaN(last) ? null : last,
      matches: this.played[i] ?? 0,
      form: Array.from(this.form.subarray(i * MONTHS, (i + 1) * MONTHS)),
      formVariance: Array.from(this.formV.subarray(i * MONTHS, (i + 1) * MONTHS)),
      lastSetsToWin: this.lastSets[i] ?? 0,
      usualFormat: this.usual[i] ?? 0,
    };
  }

  /** Loads a player's belief saved by `exportPlayer`, replacing what the engine knew of them. */
  importPlayer(state: PlayerState): PlayerRating {
    if (state.id === '') throw new RangeError('player ids must not be empty');
    if (state.form.length !== MONTHS || state.formVariance.length !== MONTHS) {
      throw new RangeError(`a player's form has ${MONTHS} months`);
    }
    if (!(state.variance > 0) || !Number.isFinite(state.mu)) {
      throw new RangeError('a rating needs a finite skill and a positive variance');
    }
    const i = this.index.get(state.id) ?? this.add(state.id);
    this.mu[i] = state.mu;
    this.v[i] = state.variance;
    this.first[i] = state.firstDay ?? Number.NaN;
    this.last[i] = state.lastDay ?? Number.NaN;
    this.played[i] = state.matches;
    this.form.set(state.form, i * MONTHS);
    this.formV.set(state.formVariance, i * MONTHS);
    const sets = state.lastSetsToWin ?? 0;
    if (!(Number.isInteger(sets) && sets >= 0 && sets <= 255)) {
      throw new RangeError('lastSetsToWin must be a whole number of sets');
    }
    this.lastSets[i] = sets;
    this.usual[i] = Number.isFinite(state.usualFormat) ? (state.usualFormat ?? 0) : 0;
    return this.describe(i);
  }

  /**
   * Probability that side a beats side b on `date` (ISO), from everything learned so far.
   * Unknown players count as newcomers of average level. Learns nothing.
   */
  predict(sideA: Side, sideB: Side, date: string): number {
    const day = checkedDay(date);
    checkSides(sideA, sideB);
    const a1 = this.index.get(sideA[0]) ?? -1;
    const a2 = sideA.length > 1 ? (this.index.get(sideA[1] ?? '') ?? -1) : -2;
    const b1 = this.index.get(sideB[0]) ?? -1;
    const b2 = sideB.length > 1 ? (this.index.get(sideB[1] ?? '') ?? -1) : -2;
    this.month = monthOfDay(day);
    this.carry(0, a1, day);
    this.carry(1, a2, day);
    this.carry(2, b1, day);
    this.carry(3, b2, day);
    const { g, d } = this.probability(a2 !== -2, b2 !== -2);
    return 1 / (1 + Math.exp(-g * this.beforeFormat(a1, a2, b1, b2, day) * d));
  }

  /** Learns from a result and explains what moved each player's rating. */
  update(match: MatchResult): MatchExplanation {
    const day = checkedDay(match.date);
    checkSides(match.sideA, match.sideB);
    const games = match.games;
    if (
      games &&
      !(Number.isInteger(games.a) && Number.isInteger(games.b) && games.a >= 0 && games.b >= 0)
    ) {
      throw new RangeError('games must be whole numbers, not negative');
    }
    const sets = match.sets;
    if (
      sets &&
      !(
        Number.isInteger(sets.a) &&
        Number.isInteger(sets.b) &&
        sets.a >= 0 &&
        sets.b >= 0 &&
        sets.a <= 255 &&
        sets.b <= 255
      )
    ) {
      throw new RangeError('sets must be whole numbers, not negative');
    }
    const slots = [match.sideA[0], match.sideA[1], match.sideB[0], match.sideB[1]];
    const idx = slots.map((id) => (id === undefined ? -2 : this.ensure(id)));
    const before = idx.map((i) => (i < 0 ? null : { mu: this.mu[i] ?? 0, v: this.v[i] ?? 0 }));
    const expected = this.step(
      idx[0] ?? -2,
      idx[1] ?? -2,
      idx[2] ?? -2,
      idx[3] ?? -2,
      day,
      match.winner === 'a' ? 1 : 0,
      games ? games.a : -1,
      games ? games.b : -1,
      sets ? sets.a : -1,
      sets ? sets.b : -1,
    );
    const players: PlayerMove[] = [];
    idx.forEach((i, slot) => {
      const b = before[slot];
      if (i < 0 || !b) return;
      const result = (this.slotResult[slot] ?? 0) * DISPLAY_SCALE;
      const margin = (this.slotMargin[slot] ?? 0) * DISPLAY_SCALE;
      const career = (this.slotCareer[slot] ?? 0) * DISPLAY_SCALE;
      players.push({
        id: this.ids[i] ?? '',
        before: toDisplay(b.mu),
        after: toDisplay(this.mu[i] ?? 0),
        change: result + margin + career,
        result,
        margin,
        career,
        seasonalForm: (this.slotSeasonal[slot] ?? 0) * DISPLAY_SCALE,
        deviationBefore: Math.sqrt(b.v) * DISPLAY_SCALE,
        inactivityDeviation:
          (Math.sqrt((this.slotV[slot] ?? 0) - (this.slotFormV[slot] ?? 0)) - Math.sqrt(b.v)) *
          DISPLAY_SCALE,
        deviationAfter: Math.sqrt(this.v[i] ?? 0) * DISPLAY_SCALE,
        stepSize: this.slotGain[slot] ?? 0,
      });
    });
    return {
      expected,
      actual: match.winner === 'a' ? 1 : 0,
      expectedGameShare: this.expectedShare,
      actualGameShare: games && games.a + games.b > 0 ? games.a / (games.a + games.b) : null,
      setsToWin: this.knownSets > 0 ? this.knownSets : null,
      formatFactor: this.formatFactor,
      players,
    };
  }

  /**
   * The replay's hot path: returns P(side a wins) before the result, then learns the result,
   * without building an explanation. Ids are passed flat, `a2`/`b2` empty for singles; the
   * caller guarantees four distinct ids.
   *
   * @param day days since 1970-01-01 (see parseIsoDay), non-decreasing across calls
   * @param gamesA games won by side a, or -1 if the score is unknown
   * @param setsA sets won by side a, or -1 if unknown
   */
  observe(
    a1: string,
    a2: string,
    b1: string,
    b2: string,
    day: number,
    aWon: boolean,
    gamesA: number,
    gamesB: number,
    setsA = -1,
    setsB = -1,
  ): number {
    return this.step(
      this.ensure(a1),
      a2 === '' ? -2 : this.ensure(a2),
      this.ensure(b1),
      b2 === '' ? -2 : this.ensure(b2),
      day,
      aWon ? 1 : 0,
      gamesA,
      gamesB,
      setsA,
      setsB,
    );
  }

  private step(
    a1: number,
    a2: number,
    b1: number,
    b2: number,
    day: number,
    y: number,
    gamesA: number,
    gamesB: number,
    setsA: number,
    setsB: number,
  ): number {
    const par = this.params;
    this.month = monthOfDay(day);
    this.carry(0, a1, day);
    this.carry(1, a2, day);
    this.carry(2, b1, day);
    this.carry(3, b2, day);
    const doublesA = a2 !== -2;
    const doublesB = b2 !== -2;
    const pr = this.probability(doublesA, doublesB);
    const { d, va, vb } = pr;
    // Before the match only a format seen earlier on the same date counts; the update then
    // learns with the format the score reveals (the winner's sets), else the one known before.
    const before = this.beforeFormat(a1, a2, b1, b2, day);
    const predicted = before === 1 ? pr.p : 1 / (1 + Math.exp(-pr.g * before * d));
    const won = y === 1 ? setsA : setsB;
    const revealed = won > 0 && setsA >= 0 && setsB >= 0 ? won : 0;
    const after = revealed > 0 ? this.amplification(revealed) : before;
    const g = pr.g * after;
    const p = after === before ? predicted : 1 / (1 + Math.exp(-g * d));

    const grad = g * (y - p);
    let info = g * g * p * (1 - p);
    const q = 1 / (1 + Math.exp(-par.gameSlope * d));
    this.expectedShare = q;
    let gradMargin = 0;
    const total = gamesA + gamesB;
    if (gamesA >= 0 && total > 0 && par.marginWeight > 0) {
      gradMargin = par.marginWeight * par.gameSlope * (gamesA / total - q);
      info += par.marginWeight * par.gameSlope * par.gameSlope * q * (1 - q);
      // The margin may temper a result but never reverse it: a win never lowers a rating.
      if (y === 1 ? grad + gradMargin < 0 : grad + gradMargin > 0) gradMargin = -grad;
    }
    this.learn(0, a1, va, info, grad, gradMargin, day, y === 1, revealed);
    if (doublesA) this.learn(1, a2, va, info, grad, gradMargin, day, y === 1, revealed);
    this.learn(2, b1, vb, info, -grad, -gradMargin, day, y === 0, revealed);
    if (doublesB) this.learn(3, b2, vb, info, -grad, -gradMargin, day, y === 0, revealed);
    return predicted;
  }

  /**
   * The format known before a match between these players on `day`: the sets won by the winner
   * of a player's earlier match on the same date. Sets `knownSets`, the players' mean usual
   * format `usualNow`, and returns the logit-scale amplification (1 when unknown or usual).
   */
  private beforeFormat(a1: number, a2: number, b1: number, b2: number, day: number): number {
    const k = Math.max(
      this.setsToday(a1, day),
      this.setsToday(a2, day),
      this.setsToday(b1, day),
      this.setsToday(b2, day),
    );
    const n = (a2 === -2 ? 1 : 2) + (b2 === -2 ? 1 : 2);
    this.usualNow = (this.usualOf(a1) + this.usualOf(a2) + this.usualOf(b1) + this.usualOf(b2)) / n;
    this.knownSets = k;
    this.formatFactor = k > 0 ? this.amplification(k) : 1;
    return this.formatFactor;
  }

  private setsToday(i: number, day: number): number {
    return i >= 0 && this.last[i] === day ? (this.lastSets[i] ?? 0) : 0;
  }

  private usualOf(i: number): number {
    return i >= 0 ? (this.usual[i] ?? 0) : 0;
  }

  /** Logit-scale amplification of a race to k sets against the players' usual format. */
  private amplification(k: number): number {
    const log = this.formatLog(k) - this.usualNow;
    return log > 0 ? Math.exp(log) : 1;
  }

  /** log of √((2k − 1)/3)^(2·formatExponent) for a race to k sets: 0 for best of three. */
  private formatLog(k: number): number {
    return this.formatLogs[k > 255 ? 255 : k] ?? 0;
  }

  /** The win probability from the carried-forward beliefs in the scratch slots. */
  private probability(
    doublesA: boolean,
    doublesB: boolean,
  ): { p: number; g: number; d: number; va: number; vb: number } {
    const sm = this.slotMu;
    const sv = this.slotV;
    // A side is its partners' mean skill and mean variance, so identical partners play as one.
    const ma = doublesA ? ((sm[0] ?? 0) + (sm[1] ?? 0)) / 2 : (sm[0] ?? 0);
    const mb = doublesB ? ((sm[2] ?? 0) + (sm[3] ?? 0)) / 2 : (sm[2] ?? 0);
    const va = doublesA ? ((sv[0] ?? 0) + (sv[1] ?? 0)) / 2 : (sv[0] ?? 0);
    const vb = doublesB ? ((sv[2] ?? 0) + (sv[3] ?? 0)) / 2 : (sv[2] ?? 0);
    const g = 1 / Math.sqrt(1 + this.params.uncertaintyShrink * PROBIT * (va + vb));
    const d = ma - mb;
    return { p: 1 / (1 + Math.exp(-g * d)), g, d, va, vb };
  }

  /**
   * Carries player i's belief forward to `day` into scratch slot `slot`: each idle day adds
   * uncertainty, capped at the newcomer's prior. i = -1 is an unknown player, -2 an empty slot.
   */
  private carry(slot: number, i: number, day: number): void {
    const par = this.params;
    const seasonal = par.seasonalDeviation * par.seasonalDeviation;
    if (i < 0) {
      this.slotCareer[slot] = 0;
      this.slotMu[slot] = 0;
      this.slotV[slot] = par.initialDeviation ** 2 + seasonal;
      this.slotFormV[slot] = seasonal;
      return;
    }
    const lastDay = this.last[i] ?? Number.NaN;
    const idle = lastDay < day ? day - lastDay : 0;
    const v = this.v[i] ?? 0;
    const grown = v + par.dailyDrift * idle + par.matchDrift;
    const cap = Math.max(v, par.initialDeviation ** 2);
    const k = i * MONTHS + this.month;
    const formV = this.formV[k] ?? 0;
    const career = idle > 0 ? this.careerDrift(this.first[i] ?? Number.NaN, lastDay, day) : 0;
    this.slotCareer[slot] = career;
    this.slotMu[slot] = (this.mu[i] ?? 0) + career + (this.form[k] ?? 0);
    this.slotV[slot] = (grown > cap ? cap : grown) + formV;
    this.slotFormV[slot] = formV;
  }

  /** Applies one side's evidence to the player in `slot` and stores the new belief. */
  private learn(
    slot: number,
    i: number,
    vSide: number,
    info: number,
    grad: number,
    gradMargin: number,
    day: number,
    won: boolean,
    sets: number,
  ): void {
    const v = this.slotV[slot] ?? 0;
    const formV = this.slotFormV[slot] ?? 0;
    const ratingV = v - formV;
    // Partners share the side's evidence in proportion to their own uncertainty.
    const w = v / vSide;
    const denom = 1 + v * w * info;
    const gain = (v * w) / denom;
    // The rating and this month's form share the player's part in proportion to their variances.
    const toRating = ratingV / v;
    const shrink = (w * info) / denom;
    const move = toRating * gain * (grad + gradMargin);
    // The career drift may temper the match's move but never reverse it.
    let career = this.slotCareer[slot] ?? 0;
    if (won ? career + move < 0 : career + move > 0) career = -move;
    this.slotCareer[slot] = career;
    this.slotGain[slot] = gain;
    this.slotResult[slot] = toRating * gain * grad;
    this.slotMargin[slot] = toRating * gain * gradMargin;
    this.slotSeasonal[slot] = (1 - toRating) * gain * (grad + gradMargin);
    // Summed first, so that a clamped drift cancels the move exactly.
    this.mu[i] = (this.mu[i] ?? 0) + (career + move);
    this.v[i] = Math.max(
      ratingV - ratingV * ratingV * shrink,
      this.params.minDeviation * this.params.minDeviation,
    );
    const k = i * MONTHS + this.month;
    this.form[k] = (this.form[k] ?? 0) + (1 - toRating) * gain * (grad + gradMargin);
    this.formV[k] = formV - formV * formV * shrink;
    if (sets > 0 && this.params.formatExponent > 0) {
      const f = this.formatLog(sets);
      const u = this.usual[i] ?? 0;
      // A player's first known format is their usual one; later formats move it slowly.
      this.usual[i] = this.played[i] === 0 ? f : u + this.params.formatRate * (f - u);
    }
    this.lastSets[i] = sets > 255 ? 255 : sets;
    if (Number.isNaN(this.last[i] ?? Number.NaN)) this.first[i] = day;
    this.last[i] = day;
    this.played[i] = (this.played[i] ?? 0) + 1;
  }

  private ensure(id: string): number {
    const i = this.index.get(id);
    if (i !== undefined) return i;
    const j = this.add(id);
    this.v[j] = this.params.initialDeviation ** 2;
    return j;
  }

  private add(id: string): number {
    if (this.count === this.mu.length) this.grow();
    const i = this.count++;
    this.index.set(id, i);
    this.ids.push(id);
    this.mu[i] = 0;
    this.last[i] = Number.NaN;
    this.first[i] = Number.NaN;
    this.played[i] = 0;
    this.lastSets[i] = 0;
    this.usual[i] = 0;
    const seasonal = this.params.seasonalDeviation ** 2;
    this.form.fill(0, i * MONTHS, (i + 1) * MONTHS);
    this.formV.fill(seasonal, i * MONTHS, (i + 1) * MONTHS);
    return i;
  }

  private grow(): void {
    const n = this.mu.length * 2;
    const wider = <T extends Float64Array | Uint32Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    const f64 = (k: number) => new Float64Array(k);
    this.mu = wider(this.mu, f64);
    this.v = wider(this.v, f64);
    this.last = wider(this.last, f64);
    this.first = wider(this.first, f64);
    this.played = wider(this.played, (k) => new Uint32Array(k));
    this.lastSets = wider(this.lastSets, (k) => new Uint8Array(k));
    this.usual = wider(this.usual, f64);
    const form = new Float64Array(n * MONTHS);
    form.set(this.form);
    this.form = form;
    const formV = new Float64Array(n * MONTHS);
    formV.set(this.formV);
    this.formV = formV;
  }

  /**
   * Expected skill change between `from` and `to` (days) for a player whose career started on
   * `start`: growth while the career is young, decline once it is long.
   */
  private careerDrift(start: number, from: number, to: number): number {
    const par = this.params;
    const a = (from - start) / 365;
    const b = (to - start) / 365;
    const young = Math.max(0, Math.min(b, par.youthYears) - Math.min(a, par.youthYears));
    const old = Math.max(0, b - Math.max(a, par.veteranYears));
    return par.youthGrowth * young - par.veteranDecline * old;
  }

  private describe(i: number): PlayerRating {
    const v = this.v[i] ?? 0;
    const lastDay = this.last[i] ?? Number.NaN;
    // Measured against the onboarding prior, the widest a rating starts from in the product.
    const v0 = Math.max(this.params.levelDeviation, this.params.initialDeviation) ** 2;
    return {
      id: this.ids[i] ?? '',
      rating: toDisplay(this.mu[i] ?? 0),
      deviation: Math.sqrt(v) * DISPLAY_SCALE,
      reliability: Math.max(0, Math.min(1, 1 - v / v0)),
      monthlyForm: Array.from(
        this.form.subarray(i * MONTHS, (i + 1) * MONTHS),
        (f) => f * DISPLAY_SCALE,
      ),
      matches: this.played[i] ?? 0,
      lastPlayed: Number.isNaN(lastDay) ? null : formatIsoDay(lastDay),
    };
  }
}

function toDisplay(skill: number): number {
  return DISPLAY_CENTRE + skill * DISPLAY_SCALE;
}

function checkedDay(date: string): number {
  const day = parseIsoDay(date);
  if (Number.isNaN(day)) throw new RangeError(`not an ISO date (YYYY-MM-DD): '${date}'`);
  return day;
}

function checkSides(a: Side, b: Side): void {
  const all = [...a, ...b];
  if (a.length < 1 || a.length > 2 || b.length < 1 || b.length > 2) {
    throw new RangeError('a side has one or two players');
  }
  if (all.some((id) => id === '')) throw new RangeError('player ids must not be empty');
  if (new Set(all).size !== all.length) throw new RangeError('a player appears twice in a match');
}
