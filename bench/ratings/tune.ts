/**
 * Chooses the engine's parameters by coordinate descent on the log loss of a sequential replay,
 * over a tuning window that must lie before the evaluation seasons (default: ATP 2000–2013, with
 * 1991–1999 as warm-up). Prints only tuning-window figures, so evaluation seasons stay unseen.
 *
 *   node --import tsx bench/ratings/tune.ts <matches.csv> --meta meta.csv \
 *     [--season 2000-2013] [--levels A,M,G,F] [--start '{"marginWeight":10}']
 */
import { parseArgs } from 'node:util';
import { formatIsoDay } from '#domain/ratings/dates';
import { DEFAULT_PARAMS, RatingEngine } from '#domain/ratings/engine';
import type { RatingParams } from '#domain/ratings/engine';
import { loadMatches, loadMeta } from './data';
import { parseSeasons, score, selectWindow } from './metrics';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    meta: { type: 'string' },
    season: { type: 'string', default: '2000-2013' },
    levels: { type: 'string', default: 'A,M,G,F' },
    start: { type: 'string', default: '{}' },
  },
});
const file = positionals[0];
if (!file || !values.meta) {
  console.error('usage: tune.ts <matches.csv> --meta meta.csv [--season 2000-2013]');
  process.exit(2);
}
const seasons = parseSeasons(values.season);
if ([...seasons].some((s) => Number(s) >= 2014)) {
  console.error('tune.ts: the tuning window must end before 2014 (the evaluation seasons)');
  process.exit(2);
}
const rows = loadMatches(file);
// Nothing after the tuning window is replayed at all.
const lastSeason = Math.max(...[...seasons].map(Number));
const meta = loadMeta(values.meta);
const cut = rows.findIndex((r) => Number(meta.get(r.matchId)?.season) > lastSeason);
const train = cut < 0 ? rows : rows.slice(0, cut);
const window = selectWindow(
  train,
  train.map((r) => formatIsoDay(r.day)),
  meta,
  { seasons, levels: new Set(values.levels.split(',')), statuses: new Set(['completed']) },
);
const inWindow = new Uint8Array(train.length);
for (const i of window) inWindow[i] = 1;

function evaluate(params: RatingParams): { logloss: number; accuracy: number } {
  const e = new RatingEngine(params);
  const ps: number[] = [];
  const ys: number[] = [];
  train.forEach((r, i) => {
    const p = e.observe(
      r.a1,
      r.a2,
      r.b1,
      r.b2,
      r.day,
      r.aWon,
      r.gamesA,
      r.gamesB,
      r.setsA,
      r.setsB,
    );
    if (inWindow[i]) {
      ps.push(Number(p.toFixed(6)));
      ys.push(r.aWon ? 1 : 0);
    }
  });
  const s = score(ps, ys);
  return { logloss: s.logloss, accuracy: s.accuracy };
}

const names: (keyof RatingParams)[] = [
  'initialDeviation',
  'dailyDrift',
  'matchDrift',
  'minDeviation',
  'uncertaintyShrink',
  'marginWeight',
  'gameSlope',
  'seasonalDeviation',
  'youthGrowth',
  'youthYears',
  'veteranDecline',
  'veteranYears',
  'formatExponent',
  'formatRate',
];
let best: RatingParams = {
  ...DEFAULT_PARAMS,
  ...(JSON.parse(values.start) as Partial<RatingParams>),
};
let bestScore = evaluate(best);
console.log(
  `start  logloss=${bestScore.logloss.toFixed(5)} accuracy=${bestScore.accuracy.toFixed(4)}`,
);
for (const factors of [
  [0.5, 0.8, 1.25, 2],
  [0.9, 1.1],
]) {
  for (let round = 0; round < 5; round++) {
    let improved = false;
    for (const name of names) {
      for (const f of factors) {
        const candidate = { ...best, [name]: best[name] * f };
        const s = evaluate(candidate);
        if (s.logloss < bestScore.logloss - 1e-6) {
          best = candidate;
          bestScore = s;
          improved = true;
        }
      }
    }
    console.log(
      `round  logloss=${bestScore.logloss.toFixed(5)} accuracy=${bestScore.accuracy.toFixed(4)} ` +
        JSON.stringify(best),
    );
    if (!improved) break;
  }
}
