/**
 * Ratings benchmark: replays a matches file through `rally ratings replay`'s code path, scores the
 * predictions over an evaluation window exactly as score.py does, and optionally compares with
 * baseline models and measures the replay's throughput.
 *
 *   npm run bench:ratings -- <matches.csv> [--meta meta.csv] [--season 2014] [--levels A,M,G,F]
 *     [--from yyyy-mm-dd] [--to yyyy-mm-dd] [--out predictions.csv] [--compare] [--throughput]
 *     [--params '{"marginWeight":0}']   (engine parameters other than the defaults, for ablations)
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { formatIsoDay } from '#domain/ratings/dates';
import { RatingEngine } from '#domain/ratings/engine';
import type { RatingParams } from '#domain/ratings/engine';
import type { MatchRow } from '#domain/ratings/matches-csv';
import { replayMatches } from '../../server/cli/ratings';
import { Glicko2, RefElo, WengLin } from './baselines';
import type { SequentialModel } from './baselines';
import { loadMatches, loadMeta } from './data';
import { formatScores, parseSeasons, score, selectWindow } from './metrics';
import type { Scores, Window } from './metrics';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    meta: { type: 'string' },
    season: { type: 'string' },
    levels: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    compare: { type: 'boolean', default: false },
    throughput: { type: 'boolean', default: false },
    params: { type: 'string', default: '{}' },
  },
});

const file = positionals[0];
if (!file) {
  console.error('usage: npm run bench:ratings -- <matches.csv> [--meta meta.csv] [--season 2014]');
  process.exit(2);
}
if (values.levels && !values.meta) {
  console.error('--levels needs --meta');
  process.exit(2);
}

/** Replays `path` with the CLI's streaming code, into `out`. */
async function replayFile(path: string, out: Writable): Promise<number> {
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const engine = new RatingEngine(JSON.parse(values.params) as Partial<RatingParams>);
  const outcome = await replayMatches(input as AsyncIterable<string>, out, engine);
  if (outcome.error)
    throw new Error(`${path}: line ${outcome.error.line}: ${outcome.error.reason}`);
  return outcome.rows;
}

function readPredictions(path: string): Map<string, number> {
  const preds = new Map<string, number>();
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const comma = line.lastIndexOf(',');
    preds.set(line.slice(0, comma), Number(line.slice(comma + 1)));
  }
  return preds;
}

function scoreWindow(rows: MatchRow[], window: number[], p: (i: number) => number): Scores {
  const ps = new Float64Array(window.length);
  const ys = new Float64Array(window.length);
  window.forEach((i, k) => {
    ps[k] = p(i);
    ys[k] = rows[i]?.aWon ? 1 : 0;
  });
  return score(ps, ys);
}

function replayModel(model: SequentialModel, rows: MatchRow[]): Float64Array {
  const out = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const p = model.observe(r.a1, r.a2, r.b1, r.b2, r.day, r.aWon, r.gamesA, r.gamesB);
    // Rounded as the CLI and ref_elo.py print it, so every model is scored on the same footing.
    out[i] = Number(p.toFixed(6));
  });
  return out;
}

const predsPath = values.out ?? join(tmpdir(), `rally-ratings-bench-${process.pid}.csv`);
const replayed = await replayFile(file, createWriteStream(predsPath));
const preds = readPredictions(predsPath);
const rows = loadMatches(file);
const dates = rows.map((r) => formatIsoDay(r.day));
const window: Window = {};
if (values.from) window.from = values.from;
if (values.to) window.to = values.to;
if (values.season) window.seasons = parseSeasons(values.season);
if (values.levels) window.levels = new Set(values.levels.split(','));
const meta = values.meta ? loadMeta(values.meta) : null;
if (meta) window.statuses = new Set(['completed']);
const selected = selectWindow(rows, dates, meta, window);
const describe = [
  values.season ? `season ${values.season}` : '',
  values.levels ? `levels ${values.levels}` : '',
  values.from || values.to ? `date ${values.from ?? ''}..${values.to ?? ''}` : '',
]
  .filter(Boolean)
  .join('; ');

console.log(`matches=${file}  replayed=${replayed}  predictions=${predsPath}`);
console.log(`window: ${describe || 'all rows'}`);
const rally = scoreWindow(rows, selected, (i) => {
  const p = preds.get(rows[i]?.matchId ?? '');
  if (p === undefined) throw new Error(`no prediction for ${rows[i]?.matchId}`);
  return p;
});
console.log(formatScores('Rally Connect', rally));

if (values.compare) {
  const table: [string, Scores][] = [['Rally Connect', rally]];
  for (const model of [new RefElo(), new Glicko2(), new WengLin()]) {
    const p = replayModel(model, rows);
    table.push([model.name, scoreWindow(rows, selected, (i) => p[i] ?? 0.5)]);
  }
  console.log(`\n| model | n | accuracy | log loss | Brier | AUC | ECE |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|`);
  for (const [name, s] of table) {
    const f = (x: number) => x.toFixed(4);
    console.log(
      `| ${name} | ${s.n} | ${f(s.accuracy)} | ${f(s.logloss)} | ${f(s.brier)} | ${f(s.auc)} | ${f(s.ece)} |`,
    );
  }
}

if (values.throughput) {
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  const rates: number[] = [];
  for (let run = 0; run < 7; run++) {
    const t0 = process.hrtime.bigint();
    const n = await replayFile(file, sink);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(n / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  console.log(
    `\nthroughput: ${Math.round(median).toLocaleString('en')} matches/s (median of 7 in-process ` +
      `replays: read + parse + rate + format, output discarded; process start excluded)`,
  );
}
