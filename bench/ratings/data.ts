/** Loading matches and meta files for the benchmark (whole files: the benchmark is not streamed). */
import { readFileSync } from 'node:fs';
import { MATCHES_HEADER, emptyMatchRow, parseMatchRow } from '#domain/ratings/matches-csv';
import type { MatchRow } from '#domain/ratings/matches-csv';

/** Loads every row of a matches file; throws on the first malformed line. */
export function loadMatches(path: string): MatchRow[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if ((lines[0] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '') !== MATCHES_HEADER) {
    throw new Error(`${path}: header must be '${MATCHES_HEADER}'`);
  }
  const rows: MatchRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '' && i === lines.length - 1) break;
    const row = emptyMatchRow();
    const reason = parseMatchRow(line, row);
    if (reason !== null) throw new Error(`${path}: line ${i + 1}: ${reason}`);
    rows.push(row);
  }
  return rows;
}

/** The columns of score.py's meta sidecar that the evaluation window uses. */
export interface MetaRow {
  season: string;
  level: string;
  status: string;
}

/** Loads a meta CSV (match_id,...,season,...,level,...,status) keyed by match id. */
export function loadMeta(path: string): Map<string, MetaRow> {
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').split(',');
  const col = (name: string): number => header.indexOf(name);
  const [id, season, level, status] = [col('match_id'), col('season'), col('level'), col('status')];
  if (id < 0) throw new Error(`${path}: no match_id column`);
  const meta = new Map<string, MetaRow>();
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line === '') continue;
    const f = line.split(',');
    meta.set(f[id] ?? '', {
      season: f[season] ?? '',
      level: f[level] ?? '',
      status: status < 0 ? 'completed' : (f[status] ?? 'completed'),
    });
  }
  return meta;
}
