/**
 * Synthetic doubles league with known true skills, to check that ratings recover skill from
 * doubles results where partners change every week.
 *
 *   node --import tsx bench/ratings/synthetic-doubles.ts [--players 100] [--rounds 20] [--seeds 5]
 *
 * Each round every player is drawn into a random pair and pairs meet at random, so after R rounds
 * everyone has played R matches. A side's strength is its partners' mean skill; each game goes to
 * side a with probability σ(0.35·gap) and matches are best of three tiebreak sets, so the true
 * match probability is known exactly. Reports, per skill spread (sd of true skill in logits), the
 * Spearman rank correlation of final ratings with true skill and the log loss of the sequential
 * predictions against the true probabilities (cross-entropy; the oracle's own is the floor).
 */
import { parseArgs } from 'node:util';
import { RatingEngine } from '#domain/ratings/engine';
import type { RatingParams } from '#domain/ratings/engine';
import { Glicko2, RefElo, WengLin } from './baselines';
import type { SequentialModel } from './baselines';

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '20' },
    seeds: { type: 'string', default: '5' },
    spreads: { type: 'string', default: '0.5,1,2' },
    params: { type: 'string', default: '{}' },
  },
});
const PLAYERS = Number(values.players);
const ROUNDS = Number(values.rounds);
const SEEDS = Number(values.seeds);
const SPREADS = values.spreads.split(',').map(Number);
const GAME_SLOPE = 0.35;

/** Mulberry32: a small seeded generator, so every run is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** P(win a tiebreak set) when each game is won with probability q (tiebreak as one game). */
function setProbability(q: number): number {
  // memo[i][j]: P(win the set from i games to j).
  const memo = new Map<number, number>();
  const f = (i: number, j: number): number => {
    if (i === 7 || (i === 6 && j <= 4)) return 1;
    if (j === 7 || (j === 6 && i <= 4)) return 0;
    const key = i * 8 + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const v = q * f(i + 1, j) + (1 - q) * f(i, j + 1);
    memo.set(key, v);
    return v;
  };
  return f(0, 0);
}

function matchProbability(gap: number): number {
  const s = setProbability(1 / (1 + Math.exp(-GAME_SLOPE * gap)));
  return s * s * (3 - 2 * s);
}

/** Plays one tiebreak set game by game; returns [games a, games b]. */
function playSet(q: number, r: () => number): [number, number] {
  let a = 0;
  let b = 0;
  for (;;) {
    if (r() < q) a++;
    else b++;
    if ((a >= 6 && a - b >= 2) || a === 7) return [a, b];
    if ((b >= 6 && b - a >= 2) || b === 7) return [a, b];
  }
}

function shuffle<T>(xs: T[], r: () => number): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
}

function ranks(xs: number[]): number[] {
  const idx = xs.map((_, i) => i).sort((i, j) => (xs[i] ?? 0) - (xs[j] ?? 0));
  const out = new Array<number>(xs.length);
  idx.forEach((i, r) => (out[i] = r));
  return out;
}

function spearman(x: number[], y: number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const d2 = rx.reduce((s, r, i) => s + (r - (ry[i] ?? 0)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

interface Result {
  rho: number;
  crossEntropy: number;
  oracle: number;
  /** Rank correlation of a batch posterior-mode fit with the generator's own model and prior. */
  ceiling: number;
}

/**
 * The best one can hope for from these results: the posterior mode of the skills under the
 * generator's true model (games are independent with slope GAME_SLOPE) and its true prior, fitted
 * on the whole season at once by gradient ascent. Not sequential, so not a competitor.
 */
function batchCeiling(
  matches: { p: number[]; gamesA: number; gamesB: number }[],
  spread: number,
  truth: number[],
): number {
  const x = new Float64Array(truth.length);
  const grad = new Float64Array(truth.length);
  for (let it = 0; it < 300; it++) {
    for (let i = 0; i < x.length; i++) grad[i] = -(x[i] ?? 0) / (spread * spread);
    for (const m of matches) {
      const [a1, a2, b1, b2] = m.p as [number, number, number, number];
      const gap = ((x[a1] ?? 0) + (x[a2] ?? 0) - (x[b1] ?? 0) - (x[b2] ?? 0)) / 2;
      const q = 1 / (1 + Math.exp(-GAME_SLOPE * gap));
      const g = (GAME_SLOPE / 2) * (m.gamesA - (m.gamesA + m.gamesB) * q);
      grad[a1] = (grad[a1] ?? 0) + g;
      grad[a2] = (grad[a2] ?? 0) + g;
      grad[b1] = (grad[b1] ?? 0) - g;
      grad[b2] = (grad[b2] ?? 0) - g;
    }
    for (let i = 0; i < x.length; i++) x[i] = (x[i] ?? 0) + 0.05 * (grad[i] ?? 0);
  }
  return spearman([...x], truth);
}

type Rated = SequentialModel & { finalRating(id: string): number };

function engineModel(useScores: boolean): Rated {
  const e = new RatingEngine(JSON.parse(values.params) as Partial<RatingParams>);
  return {
    name: useScores ? 'Rally Connect (with scores)' : 'Rally Connect (winner only)',
    observe: (a1, a2, b1, b2, day, aWon, ga, gb) =>
      e.observe(a1, a2, b1, b2, day, aWon, useScores ? ga : -1, useScores ? gb : -1),
    finalRating: (id) => e.rating(id)?.rating ?? 0,
  };
}

/** Final ratings of a baseline, read back by replaying a 1-vs-reference probability. */
function baselineModel(make: () => SequentialModel): Rated {
  const m = make();
  return {
    name: m.name,
    observe: (...args) => m.observe(...args),
    finalRating: (id) => {
      const internal = m as unknown as {
        rating?: Map<string, number>;
        s?: Map<string, { mu: number }>;
      };
      return internal.rating?.get(id) ?? internal.s?.get(id)?.mu ?? 0;
    },
  };
}

function simulate(spread: number, seed: number, model: Rated): Result {
  const r = rng(seed * 7919 + Math.round(spread * 1000));
  const skill = Array.from({ length: PLAYERS }, () => spread * gaussian(r));
  const ids = skill.map((_, i) => `p${i}`);
  let ce = 0;
  let oracle = 0;
  let n = 0;
  const order = ids.map((_, i) => i);
  const played: { p: number[]; gamesA: number; gamesB: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    shuffle(order, r);
    for (let k = 0; k + 3 < order.length; k += 4) {
      const [a1, a2, b1, b2] = [order[k], order[k + 1], order[k + 2], order[k + 3]] as number[];
      const gap =
        ((skill[a1 as number] ?? 0) + (skill[a2 as number] ?? 0)) / 2 -
        ((skill[b1 as number] ?? 0) + (skill[b2 as number] ?? 0)) / 2;
      const q = 1 / (1 + Math.exp(-GAME_SLOPE * gap));
      let setsA = 0;
      let setsB = 0;
      let gamesA = 0;
      let gamesB = 0;
      while (setsA < 2 && setsB < 2) {
        const [ga, gb] = playSet(q, r);
        gamesA += ga;
        gamesB += gb;
        if (ga > gb) setsA++;
        else setsB++;
      }
      played.push({ p: [a1, a2, b1, b2] as number[], gamesA, gamesB });
      const truth = matchProbability(gap);
      const p = Math.min(
        Math.max(
          model.observe(
            ids[a1 as number] ?? '',
            ids[a2 as number] ?? '',
            ids[b1 as number] ?? '',
            ids[b2 as number] ?? '',
            round * 7,
            setsA > setsB,
            gamesA,
            gamesB,
          ),
          1e-6,
        ),
        1 - 1e-6,
      );
      ce -= truth * Math.log(p) + (1 - truth) * Math.log(1 - p);
      oracle -= truth * Math.log(truth) + (1 - truth) * Math.log(1 - truth);
      n++;
    }
  }
  const rho = spearman(
    ids.map((id) => model.finalRating(id)),
    skill,
  );
  return {
    rho,
    crossEntropy: ce / n,
    oracle: oracle / n,
    ceiling: batchCeiling(played, spread, skill),
  };
}

const makers: (() => Rated)[] = [
  () => engineModel(true),
  () => engineModel(false),
  () => baselineModel(() => new RefElo()),
  () => baselineModel(() => new Glicko2()),
  () => baselineModel(() => new WengLin()),
];

console.log(
  `synthetic doubles: ${PLAYERS} players, ${ROUNDS} rounds (= matches a player), random partners, ` +
    `${SEEDS} seeds per spread`,
);
console.log(
  '| spread (sd, logits) | model | Spearman ρ | ρ ceiling (batch, true model) | log loss vs true p | oracle log loss |',
);
console.log('|---:|---|---:|---:|---:|---:|');
for (const spread of SPREADS) {
  for (const make of makers) {
    let rho = 0;
    let ce = 0;
    let oracle = 0;
    let ceiling = 0;
    let name = '';
    for (let seed = 1; seed <= SEEDS; seed++) {
      const model = make();
      name = model.name;
      const res = simulate(spread, seed, model);
      rho += res.rho / SEEDS;
      ce += res.crossEntropy / SEEDS;
      oracle += res.oracle / SEEDS;
      ceiling += res.ceiling / SEEDS;
    }
    console.log(
      `| ${spread} | ${name} | ${rho.toFixed(3)} | ${ceiling.toFixed(3)} | ${ce.toFixed(4)} | ${oracle.toFixed(4)} |`,
    );
  }
}
