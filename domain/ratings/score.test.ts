import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScore } from './score';

describe('parseScore', () => {
  it('reads sets, tiebreaks and totals from side a’s point of view', () => {
    const r = parseScore('6-4 3-6 7-6(2)');
    expect(r).toEqual({
      ok: true,
      score: {
        sets: [
          { a: 6, b: 4 },
          { a: 3, b: 6 },
          { a: 7, b: 6, tiebreak: 2 },
        ],
        setsA: 2,
        setsB: 1,
        gamesA: 16,
        gamesB: 16,
        winner: 'a',
      },
    });
  });

  it('reads a deciding match tiebreak as a set worth one game', () => {
    const r = parseScore('4-6 6-3 [7-10]');
    expect(r.ok && r.score).toMatchObject({
      setsA: 1,
      setsB: 2,
      gamesA: 10,
      gamesB: 10,
      winner: 'b',
    });
  });

  it('reads scores of other racket sports (games to 11 or 21)', () => {
    const r = parseScore('11-7 9-11 11-5');
    expect(r.ok && r.score).toMatchObject({ setsA: 2, setsB: 1, gamesA: 31, gamesB: 23 });
    expect(parseScore('21-19 21-17').ok).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    [' 6-4 6-4', /leading or trailing/],
    ['6-4  6-4', /empty \(double space\?\)/],
    ['6-4 6:4', /set 2 '6:4' is not games/],
    ['6-4 6-1?', /set 2 '6-1\?' is not games/],
    ['6-4 W/O', /is not games/],
    ['6-6 6-4', /set 1 '6-6': a set cannot be tied/],
    ['6-2(3) 6-4', /tiebreak points only follow a set won by one game/],
    ['[10-8] 6-4', /match tiebreak can only be the last set/],
    ['6-4 4-6 [9-9]', /match tiebreak cannot be tied/],
    ['6-4 4-6', /no winner: 1 sets each/],
    ['6-1 6-1 6-1 6-1 6-1 6-1 6-1 6-1', /at most 7/],
    ['123-4', /is not games/],
  ])('rejects %j with a clear reason', (text, reason) => {
    const r = parseScore(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });

  it('round-trips any well-formed score to the same totals', () => {
    const set = fc
      .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }))
      .filter(([a, b]) => a !== b);
    fc.assert(
      fc.property(fc.array(set, { minLength: 1, maxLength: 7 }), (sets) => {
        const setsA = sets.filter(([a, b]) => a > b).length;
        const setsB = sets.length - setsA;
        fc.pre(setsA !== setsB);
        const r = parseScore(sets.map(([a, b]) => `${a}-${b}`).join(' '));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.score.setsA).toBe(setsA);
        expect(r.score.gamesA).toBe(sets.reduce((s, [a]) => s + a, 0));
        expect(r.score.gamesB).toBe(sets.reduce((s, [, b]) => s + b, 0));
        expect(r.score.winner).toBe(setsA > setsB ? 'a' : 'b');
      }),
    );
  });
});
