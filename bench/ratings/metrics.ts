/**
 * The metrics of `score.py` (shared/datasets/atp-tour), reimplemented line for line so that the
 * benchmark's figures equal the reference scorer's on the same predictions.
 */
import type { MatchRow } from '#domain/ratings/matches-csv';
import type { MetaRow } from './data';

const EPS = 1e-6;

/** The evaluation window; all filters combine, as in score.py. */
export interface Window {
  from?: string;
  to?: string;
  seasons?: Set<string>;
  levels?: Set<string>;
  statuses?: Set<string>;
}

/** `2014`, `2015-2019` or `2014,2016` → the set of seasons, as score.py's parse_seasons. */
export function parseSeasons(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const [lo, hi] = part.split('-', 2);
    if (hi !== undefined) {
      for (let y = Number(lo); y <= Number(hi); y++) out.add(String(y));
    } else {
      out.add(String(Number(part)));
    }
  }
  return out;
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  n: number;
  meanP: number;
  observed: number;
}

export interface Scores {
  n: number;
  ties: number;
  accuracy: number;
  logloss: number;
  brier: number;
  auc: number;
  favCalib: number;
  ece: number;
  shareAWon: number;
  bins: CalibrationBin[];
}

/** Which rows of `matches` fall in the window (indices), as score.py selects them. */
export function selectWindow(
  matches: readonly MatchRow[],
  dates: readonly string[],
  meta: Map<string, MetaRow> | null,
  w: Window,
): number[] {
  const id = /^[^-]+-(\d{4})-/;
  const out: number[] = [];
  matches.forEach((m, i) => {
    const d = dates[i] ?? '';
    if (w.from && d < w.from) return;
    if (w.to && d > w.to) return;
    const mm = meta?.get(m.matchId);
    if (meta && !mm) throw new Error(`match ${m.matchId} is not in the meta file`);
    if (w.seasons) {
      const s = mm ? mm.season : id.exec(m.matchId)?.[1];
      if (s === undefined) throw new Error('--season needs --meta or prepare.py match ids');
      if (!w.seasons.has(s)) return;
    }
    if (mm) {
      if (w.levels && !w.levels.has(mm.level)) return;
      if (w.statuses && !w.statuses.has(mm.status)) return;
    }
    out.push(i);
  });
  return out;
}

/** Scores predictions `p[i]` (P(side a wins)) against outcomes `y[i]` (1 if a won). */
export function score(p: ArrayLike<number>, y: ArrayLike<number>): Scores {
  const n = p.length;
  if (n === 0) throw new Error('no matches in the evaluation window');
  let acc = 0;
  let ll = 0;
  let br = 0;
  let ties = 0;
  let favP = 0;
  let favW = 0;
  let won = 0;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, sp: 0, sy: 0 }));
  for (let i = 0; i < n; i++) {
    const pi = p[i] ?? 0.5;
    const yi = y[i] ?? 0;
    won += yi;
    if (pi > 0.5) acc += yi;
    else if (pi < 0.5) acc += 1 - yi;
    else {
      acc += 0.5;
      ties++;
    }
    const q = Math.min(Math.max(pi, EPS), 1 - EPS);
    ll += -Math.log(yi === 1 ? q : 1 - q);
    br += (pi - yi) ** 2;
    favP += Math.max(pi, 1 - pi);
    favW += pi >= 0.5 ? yi : 1 - yi;
    const b = bins[Math.min(Math.floor(pi * 10), 9)];
    if (b) {
      b.n++;
      b.sp += pi;
      b.sy += yi;
    }
  }
  return {
    n,
    ties,
    accuracy: acc / n,
    logloss: ll / n,
    brier: br / n,
    auc: auc(p, y),
    favCalib: favW ? favP / favW : Number.NaN,
    ece: bins.reduce((s, b) => s + Math.abs(b.sp - b.sy), 0) / n,
    shareAWon: won / n,
    bins: bins.map((b, i) => ({
      lo: i / 10,
      hi: (i + 1) / 10,
      n: b.n,
      meanP: b.n ? b.sp / b.n : Number.NaN,
      observed: b.n ? b.sy / b.n : Number.NaN,
    })),
  };
}

/** Mann-Whitney AUC with average ranks for ties (score.py's auc_score). */
function auc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const idx = Array.from({ length: p.length }, (_, i) => i);
  idx.sort((i, j) => (p[i] ?? 0) - (p[j] ?? 0) || (y[i] ?? 0) - (y[j] ?? 0));
  let rsum = 0;
  let npos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1] ?? 0] === p[idx[i] ?? 0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[idx[k] ?? 0] === 1) {
        rsum += r;
        npos++;
      }
    }
    i = j + 1;
  }
  const nneg = idx.length - npos;
  if (npos === 0 || nneg === 0) return Number.NaN;
  return (rsum - (npos * (npos + 1)) / 2) / (npos * nneg);
}

/** score.py's report, from the same figures. */
export function formatScores(label: string, s: Scores): string {
  const f4 = (x: number) => x.toFixed(4);
  const lines = [
    `${label}  n=${s.n}  ties(p=0.5)=${s.ties}  share a won=${s.shareAWon.toFixed(3)}`,
    `accuracy   ${f4(s.accuracy)}`,
    `logloss    ${f4(s.logloss)}   (coin flip 0.6931)`,
    `brier      ${f4(s.brier)}   (coin flip 0.2500)`,
    `auc        ${f4(s.auc)}`,
    `fav_calib  ${f4(s.favCalib)}   (sum fav prob / fav wins; 1 = calibrated)`,
    `ece        ${f4(s.ece)}`,
    'calibration (p_a bins):',
    '  bin        n    mean_p   obs_a_win   diff',
    ...s.bins.map((b) =>
      b.n
        ? `  ${b.lo.toFixed(1)}-${b.hi.toFixed(1)} ${String(b.n).padStart(6)}   ${b.meanP.toFixed(3)}     ${b.observed.toFixed(3)}      ${(b.observed - b.meanP >= 0 ? '+' : '') + (b.observed - b.meanP).toFixed(3)}`
        : `  ${b.lo.toFixed(1)}-${b.hi.toFixed(1)} ${String(0).padStart(6)}       -         -          -`,
    ),
    `accuracy=${f4(s.accuracy)} logloss=${f4(s.logloss)} brier=${f4(s.brier)}`,
  ];
  return lines.join('\n');
}
