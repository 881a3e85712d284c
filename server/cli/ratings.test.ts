import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'rally-ratings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rally(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/rally.ts', ...args], {
    encoding: 'utf8',
  });
}

/** A small synthetic league: player i beats player j when i < j, with a few doubles. */
function league(rows: number): string {
  const lines = ['match_id,date,player_a,player_b,winner,score'];
  for (let k = 0; k < rows; k++) {
    const i = k % 7;
    const j = (k * 3 + 1) % 7;
    const day = String(1 + Math.floor(k / 10)).padStart(2, '0');
    if (i === j) {
      lines.push(
        `m${k},2024-01-${day},p${i}+p${(i + 1) % 7},p${(i + 2) % 7}+p${(i + 3) % 7},a,6-3 6-4`,
      );
    } else {
      const aWins = i < j;
      lines.push(
        `m${k},2024-01-${day},p${i},p${j},${aWins ? 'a' : 'b'},${aWins ? '6-2 7-5' : '3-6 6-7(4)'}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

describe('rally ratings replay', () => {
  it('prints match_id,p_a for every row, each predicted before its result is learned', () => {
    const file = join(dir, 'league.csv');
    writeFileSync(file, league(200) + '\n'); // a trailing blank line is tolerated
    const run = rally('ratings', 'replay', file);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('match_id,p_a');
    expect(lines).toHaveLength(201);
    expect(lines[1]).toBe('m0,0.500000');
    const rows = lines.slice(1).map((l) => l.split(','));
    rows.forEach(([id, p], k) => {
      expect(id).toBe(`m${k}`);
      expect(Number(p)).toBeGreaterThan(0);
      expect(Number(p)).toBeLessThan(1);
    });
    // By the end, the better player of a singles pairing is the favourite.
    const last = rows.slice(-50).filter((_, k) => {
      const n = 150 + k;
      return n % 7 !== (n * 3 + 1) % 7;
    });
    for (const [id, p] of last) {
      const n = Number(id?.slice(1));
      const favouriteIsA = n % 7 < (n * 3 + 1) % 7;
      expect(Number(p) > 0.5).toBe(favouriteIsA);
    }
  });

  it('stops at a malformed row with its line number and the reason', () => {
    const file = join(dir, 'bad.csv');
    const good = league(5).trimEnd().split('\n');
    writeFileSync(
      file,
      [...good, 'm9,2024-01-09,p1,p2,draw,6-4 6-4', 'm10,2024-01-09,p1,p2,a,'].join('\n'),
    );
    const run = rally('ratings', 'replay', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("line 7: winner 'draw' must be 'a' or 'b'");
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(6);
  });

  it('refuses a file without the matches header', () => {
    const file = join(dir, 'noheader.csv');
    writeFileSync(file, 'id,when,a,b,w,s\nm1,2024-01-01,x,y,a,\n');
    const run = rally('ratings', 'replay', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('line 1: header must be');
  });

  it('explains its usage when called without a file', () => {
    const run = rally('ratings');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: rally ratings replay <matches.csv>');
  });

  it('reports a missing file', () => {
    const run = rally('ratings', 'replay', join(dir, 'missing.csv'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ENOENT');
  });
});
