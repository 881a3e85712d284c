import { describe, expect, it } from 'vitest';
import { emptyMatchRow, parseMatchRow } from './matches-csv';

describe('parseMatchRow', () => {
  it('reads a singles row with its games', () => {
    const row = emptyMatchRow();
    expect(parseMatchRow('m1,2024-03-04,ann,bob,b,4-6 6-3 2-6', row)).toBeNull();
    expect(row).toMatchObject({
      matchId: 'm1',
      a1: 'ann',
      a2: '',
      b1: 'bob',
      b2: '',
      aWon: false,
      gamesA: 12,
      gamesB: 15,
      setsA: 1,
      setsB: 2,
      scoreProblem: null,
    });
  });

  it('reads a doubles row written id1+id2, and an empty score as unknown', () => {
    const row = emptyMatchRow();
    expect(parseMatchRow('m2,2024-03-04,ann+cat,bob+dan,a,', row)).toBeNull();
    expect(row).toMatchObject({
      a1: 'ann',
      a2: 'cat',
      b1: 'bob',
      b2: 'dan',
      aWon: true,
      gamesA: -1,
      setsA: -1,
    });
  });

  it('keeps a row whose score is unreadable or contradicts the winner, on its winner only', () => {
    const row = emptyMatchRow();
    expect(parseMatchRow('m3,2024-03-04,ann,bob,a,6-4 6-1?', row)).toBeNull();
    expect(row.gamesA).toBe(-1);
    expect(row.scoreProblem).toMatch(/not games/);
    expect(parseMatchRow('m4,2024-03-04,ann,bob,a,4-6 4-6', row)).toBeNull();
    expect(row.scoreProblem).toMatch(/says side b won/);
    expect(row.gamesA).toBe(-1);
    expect(row.setsA).toBe(-1);
  });

  it.each([
    ['m,2024-01-01,a,b,a', /expected 6 comma-separated fields/],
    ['m,2024-01-01,a,b,a,6-4,x', /found 7/],
    [',2024-01-01,a,b,a,', /match_id is empty/],
    ['m,2024-02-30,a,b,a,', /date '2024-02-30' is not a valid/],
    ['m,2024-01-01,,b,a,', /player_a is empty/],
    ['m,2024-01-01,a+,b+c,a,', /player_a 'a\+' has an empty player id/],
    ['m,2024-01-01,a+b+c,d+e,a,', /more than two players/],
    ['m,2024-01-01,a+a,b+c,a,', /same player twice/],
    ['m,2024-01-01,a+b,c,a,', /one side is doubles/],
    ['m,2024-01-01,a+b,c+a,a,', /appears on both sides/],
    ['m,2024-01-01,a,b,x,', /winner 'x' must be 'a' or 'b'/],
    ['"m",2024-01-01,a,b,a,', /quoted/],
  ])('rejects %j', (line, reason) => {
    expect(parseMatchRow(line, emptyMatchRow())).toMatch(reason);
  });
});
