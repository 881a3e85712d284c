import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS } from '../schemas/me';
import { RatingEngine } from './engine';
import type { MatchResult, Side } from './engine';
import { formatIsoDay } from './dates';

const PLAYERS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];

/** A random history of singles and doubles results among six players, in date order. */
const history = fc
  .array(
    fc.record({
      order: fc.shuffledSubarray(PLAYERS, { minLength: 4, maxLength: 4 }),
      doubles: fc.boolean(),
      aWins: fc.boolean(),
      gap: fc.integer({ min: 0, max: 30 }),
      games: fc.option(fc.tuple(fc.integer({ min: 0, max: 18 }), fc.integer({ min: 0, max: 18 }))),
      // Winner's and loser's sets: best of three or of five, sometimes unknown.
      sets: fc.option(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }))),
    }),
    { maxLength: 40 },
  )
  .map((steps) => {
    let day = 19_000;
    return steps.map((s): MatchResult => {
      day += s.gap;
      const [w, x, y, z] = s.order as [string, string, string, string];
      const sideA: Side = s.doubles ? [w, x] : [w];
      const sideB: Side = s.doubles ? [y, z] : [y];
      const result: MatchResult = {
        sideA,
        sideB,
        date: formatIsoDay(day),
        winner: s.aWins ? 'a' : 'b',
      };
      const [won, lost] = s.sets ?? [0, 0];
      const sets = s.aWins
        ? { a: won, b: Math.min(lost, won - 1) }
        : { a: Math.min(lost, won - 1), b: won };
      const scored = s.sets ? { ...result, sets } : result;
      return s.games ? { ...scored, games: { a: s.games[0], b: s.games[1] } } : scored;
    });
  });

function replay(matches: MatchResult[]): RatingEngine {
  const engine = new RatingEngine();
  for (const m of matches) engine.update(m);
  return engine;
}

describe('RatingEngine', () => {
  it('gives 1 − p when the sides are swapped (symmetry)', () => {
    fc.assert(
      fc.property(history, fc.boolean(), fc.integer({ min: 0, max: 400 }), (ms, doubles, later) => {
        const engine = replay(ms);
        const a: Side = doubles ? ['p0', 'p1'] : ['p0'];
        const b: Side = doubles ? ['p2', 'p3'] : ['p2'];
        const date = formatIsoDay(19_000 + 40 * 30 + later);
        const p = engine.predict(a, b, date);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThan(1);
        expect(engine.predict(b, a, date)).toBeCloseTo(1 - p, 12);
      }),
    );
  });

  it('never lowers a winner’s rating nor raises a loser’s, whatever the score', () => {
    fc.assert(
      fc.property(
        history,
        fc.boolean(),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (ms, doubles, ga, gb) => {
          const engine = replay(ms);
          const sideA: Side = doubles ? ['p0', 'p1'] : ['p0'];
          const sideB: Side = doubles ? ['p2', 'p3'] : ['p2'];
          const before = new Map(
            [...sideA, ...sideB].map((id) => [id, engine.rating(id)?.rating ?? 1500]),
          );
          const explanation = engine.update({
            sideA,
            sideB,
            date: '2030-01-01',
            winner: 'a',
            games: { a: ga, b: gb },
          });
          for (const id of sideA) {
            expect(engine.rating(id)?.rating).toBeGreaterThanOrEqual(before.get(id) ?? 0);
          }
          for (const id of sideB) {
            expect(engine.rating(id)?.rating).toBeLessThanOrEqual(before.get(id) ?? 0);
          }
          for (const move of explanation.players) {
            expect(move.after - move.before).toBeCloseTo(move.change, 9);
            expect(move.change).toBeCloseTo(move.result + move.margin + move.career, 9);
          }
        },
      ),
    );
  });

  it('grows a rating’s uncertainty with inactivity, pulling predictions towards 50%', () => {
    // Without the career drift, which moves the young player's mean over the same year.
    const engine = new RatingEngine({ youthGrowth: 0, veteranDecline: 0 });
    for (let i = 0; i < 30; i++) {
      engine.update({ sideA: ['strong'], sideB: [`weak${i}`], date: '2020-01-01', winner: 'a' });
    }
    const soon = engine.predict(['strong'], ['newcomer'], '2020-01-08');
    const later = engine.predict(['strong'], ['newcomer'], '2021-01-01');
    expect(soon).toBeGreaterThan(later);
    expect(later).toBeGreaterThan(0.5);

    const deviations = [7, 90, 365].map((days) => {
      const e = new RatingEngine();
      for (let i = 0; i < 30; i++) {
        e.update({ sideA: ['x'], sideB: [`o${i}`], date: '2020-01-01', winner: i % 2 ? 'a' : 'b' });
      }
      const move = e.update({
        sideA: ['x'],
        sideB: ['y'],
        date: formatIsoDay(18_262 + days),
        winner: 'a',
      }).players[0];
      return move?.inactivityDeviation ?? 0;
    });
    expect(deviations[0]).toBeGreaterThan(0);
    expect(deviations[1]).toBeGreaterThan(deviations[0] ?? 0);
    expect(deviations[2]).toBeGreaterThan(deviations[1] ?? 0);
  });

  it('shrinks uncertainty with play', () => {
    const engine = new RatingEngine();
    const devs: number[] = [];
    for (let i = 0; i < 10; i++) {
      engine.update({ sideA: ['x'], sideB: [`o${i}`], date: '2020-01-01', winner: 'a' });
      devs.push(engine.rating('x')?.deviation ?? 0);
    }
    for (let i = 1; i < devs.length; i++) expect(devs[i]).toBeLessThan(devs[i - 1] ?? 0);
    expect(engine.rating('x')?.reliability).toBeGreaterThan(0);
  });

  it('treats doubles with identical partners like singles', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ aWins: fc.boolean(), ga: fc.nat(13), gb: fc.nat(13), gap: fc.nat(60) }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        (steps) => {
          const singles = new RatingEngine();
          const doubles = new RatingEngine();
          let day = 18_000;
          for (const s of steps) {
            day += s.gap;
            const date = formatIsoDay(day);
            const winner = s.aWins ? 'a' : 'b';
            const games = { a: s.ga, b: s.gb };
            const ps = singles.predict(['x'], ['y'], date);
            const pd = doubles.predict(['x1', 'x2'], ['y1', 'y2'], date);
            expect(pd).toBeCloseTo(ps, 12);
            singles.update({ sideA: ['x'], sideB: ['y'], date, winner, games });
            doubles.update({ sideA: ['x1', 'x2'], sideB: ['y1', 'y2'], date, winner, games });
          }
          for (const [one, clones] of [
            ['x', ['x1', 'x2']],
            ['y', ['y1', 'y2']],
          ] as const) {
            const r = singles.rating(one);
            for (const c of clones) {
              expect(doubles.rating(c)?.rating).toBeCloseTo(r?.rating ?? 1500, 9);
              expect(doubles.rating(c)?.deviation).toBeCloseTo(r?.deviation ?? 0, 9);
            }
          }
        },
      ),
    );
  });

  it('is deterministic: the same results in the same order give the same ratings', () => {
    fc.assert(
      fc.property(history, (ms) => {
        expect(replay(ms).ratings()).toEqual(replay(ms).ratings());
      }),
    );
  });

  it('replays through observe exactly as through update', () => {
    fc.assert(
      fc.property(history, (ms) => {
        const a = new RatingEngine();
        const b = new RatingEngine();
        for (const m of ms) {
          const expected = a.update(m).expected;
          const p = b.observe(
            m.sideA[0],
            m.sideA[1] ?? '',
            m.sideB[0],
            m.sideB[1] ?? '',
            Math.round(Date.parse(m.date) / 86_400_000),
            m.winner === 'a',
            m.games ? m.games.a : -1,
            m.games ? m.games.b : -1,
            m.sets ? m.sets.a : -1,
            m.sets ? m.sets.b : -1,
          );
          expect(p).toBe(expected);
        }
        expect(b.ratings()).toEqual(a.ratings());
      }),
    );
  });

  it('updates players loaded from saved state exactly as a full replay does', () => {
    fc.assert(
      fc.property(history, (ms) => {
        const full = new RatingEngine();
        const states = new Map<string, ReturnType<RatingEngine['exportPlayer']>>();
        for (const m of ms) {
          // A fresh engine per match, holding only this match's players, as in a request.
          const fresh = new RatingEngine();
          for (const id of [...m.sideA, ...m.sideB]) {
            const saved = states.get(id);
            if (saved) fresh.importPlayer(JSON.parse(JSON.stringify(saved)));
          }
          expect(fresh.update(m)).toEqual(full.update(m));
          for (const id of [...m.sideA, ...m.sideB]) states.set(id, fresh.exportPlayer(id));
        }
        for (const r of full.ratings()) expect(states.get(r.id)).toEqual(full.exportPlayer(r.id));
      }),
    );
  });

  it('explains an update: expected result, actual result and the expected predicted before', () => {
    const engine = new RatingEngine();
    engine.update({ sideA: ['ann'], sideB: ['bob'], date: '2024-05-01', winner: 'a' });
    const p = engine.predict(['ann'], ['bob'], '2024-05-08');
    const why = engine.update({
      sideA: ['ann'],
      sideB: ['bob'],
      date: '2024-05-08',
      winner: 'b',
      games: { a: 3, b: 12 },
    });
    expect(why.expected).toBe(p);
    expect(why.actual).toBe(0);
    expect(why.actualGameShare).toBeCloseTo(3 / 15, 12);
    const [ann, bob] = why.players;
    expect(ann?.id).toBe('ann');
    expect(ann?.result).toBeLessThan(0);
    expect(ann?.margin).toBeLessThan(0);
    // Same career stage, so the same career part; the match parts are opposite.
    expect(ann?.career).toBeCloseTo(bob?.career ?? 0, 12);
    expect((bob?.change ?? 0) - (bob?.career ?? 0)).toBeCloseTo(
      -((ann?.change ?? 0) - (ann?.career ?? 0)),
      9,
    );
    expect(ann?.stepSize).toBeGreaterThan(0);
  });

  it('moves ratings further for a lopsided win than for a narrow one', () => {
    const narrow = new RatingEngine();
    const lopsided = new RatingEngine();
    const m = { sideA: ['a'], sideB: ['b'], date: '2024-01-01', winner: 'a' } as const;
    const n = narrow.update({ ...m, games: { a: 13, b: 11 } }).players[0]?.change ?? 0;
    const l = lopsided.update({ ...m, games: { a: 12, b: 0 } }).players[0]?.change ?? 0;
    expect(l).toBeGreaterThan(n);
    expect(n).toBeGreaterThan(0);
  });

  it('learns a month-of-year form apart from the rating', () => {
    const engine = new RatingEngine();
    // Ann beats Bob every May and loses to him every other month, for five years.
    for (let year = 2015; year < 2020; year++) {
      for (let month = 1; month <= 12; month++) {
        const date = `${year}-${String(month).padStart(2, '0')}-10`;
        engine.update({ sideA: ['ann'], sideB: ['bob'], date, winner: month === 5 ? 'a' : 'b' });
      }
    }
    const may = engine.predict(['ann'], ['bob'], '2020-05-10');
    const october = engine.predict(['ann'], ['bob'], '2020-10-10');
    expect(may).toBeGreaterThan(october);
    const form = engine.rating('ann')?.monthlyForm ?? [];
    expect(form).toHaveLength(12);
    expect(form[4]).toBeGreaterThan(0);
    expect(form[4]).toBeGreaterThan(Math.max(...form.filter((_, m) => m !== 4)));
  });

  it('reports the seasonal part of an update apart from the rating change', () => {
    const engine = new RatingEngine();
    const why = engine.update({ sideA: ['a'], sideB: ['b'], date: '2024-06-01', winner: 'a' });
    const [a] = why.players;
    expect(a?.change).toBeGreaterThan(0);
    expect(a?.seasonalForm).toBeGreaterThan(0);
    expect(engine.rating('a')?.monthlyForm[5]).toBeCloseTo(a?.seasonalForm ?? 0, 9);
    const off = new RatingEngine({ seasonalDeviation: 0 });
    const plain = off.update({ sideA: ['a'], sideB: ['b'], date: '2024-06-01', winner: 'a' });
    expect(plain.players[0]?.seasonalForm).toBe(0);
  });

  it('moves a young career up and a long one down between matches, never against the result', () => {
    const engine = new RatingEngine();
    // Vet has played since 2010, last in 2017; Kid's career starts in 2019.
    engine.update({ sideA: ['vet'], sideB: ['old'], date: '2010-01-01', winner: 'a' });
    engine.update({ sideA: ['vet'], sideB: ['old'], date: '2017-01-01', winner: 'a' });
    engine.update({ sideA: ['kid'], sideB: ['new'], date: '2019-01-01', winner: 'a' });
    const beforeVet = engine.rating('vet')?.rating ?? 0;
    const beforeKid = engine.rating('kid')?.rating ?? 0;
    const p = engine.predict(['kid'], ['vet'], '2020-01-01');
    const why = engine.update({ sideA: ['kid'], sideB: ['vet'], date: '2020-01-01', winner: 'b' });
    expect(why.expected).toBe(p);
    const [kid, vet] = why.players;
    // A year into the career: +youthGrowth; a loss still cannot raise Kid's rating.
    expect(kid?.career).toBeGreaterThan(0);
    expect(kid?.change).toBeLessThanOrEqual(0);
    expect(engine.rating('kid')?.rating).toBeLessThanOrEqual(beforeKid);
    // Seven to ten years into the career: two years of decline, tempered so that the win is not a drop.
    expect(vet?.career).toBeLessThan(0);
    expect(engine.rating('vet')?.rating).toBeGreaterThanOrEqual(beforeVet);
    const flat = new RatingEngine({ youthGrowth: 0, veteranDecline: 0 });
    flat.update({ sideA: ['kid'], sideB: ['new'], date: '2019-01-01', winner: 'a' });
    const plain = flat.update({ sideA: ['kid'], sideB: ['x'], date: '2020-01-01', winner: 'a' });
    expect(plain.players[0]?.career).toBe(0);
  });

  it('spreads a prediction when a same-day match showed a longer format than usual', () => {
    const engine = new RatingEngine();
    const day = '2024-06-03';
    // Ann beats Bob twice in best of three: Ann is the favourite against Cid later.
    engine.update({
      sideA: ['ann'],
      sideB: ['bob'],
      date: '2024-05-01',
      winner: 'a',
      sets: { a: 2, b: 0 },
    });
    engine.update({
      sideA: ['cid'],
      sideB: ['dan'],
      date: '2024-05-01',
      winner: 'b',
      sets: { a: 1, b: 2 },
    });
    const plain = engine.predict(['ann'], ['cid'], day);
    expect(plain).toBeGreaterThan(0.5);
    // Ann's first match of the event is best of five (she won three sets): the next one is too.
    const first = engine.update({
      sideA: ['ann'],
      sideB: ['eve'],
      date: day,
      winner: 'a',
      sets: { a: 3, b: 1 },
    });
    expect(first.setsToWin).toBeNull();
    expect(first.formatFactor).toBe(1);
    const p = engine.predict(['ann'], ['cid'], day);
    const why = engine.update({
      sideA: ['ann'],
      sideB: ['cid'],
      date: day,
      winner: 'a',
      sets: { a: 3, b: 0 },
    });
    expect(why.setsToWin).toBe(3);
    // √(5/3) against best of three, less the little Ann's usual format moved towards five sets.
    expect(why.formatFactor).toBeGreaterThan(1.28);
    expect(why.formatFactor).toBeLessThan(Math.sqrt(5 / 3));
    expect(p).toBeGreaterThan(plain);
    expect(why.expected).toBe(p);
    // Players who usually play best of five are not amplified: the format is their usual one.
    const five = Math.log(Math.sqrt(5 / 3));
    const regular = new RatingEngine();
    for (const id of ['ann', 'cid']) {
      const state = engine.exportPlayer(id);
      if (!state) throw new Error(`no state for ${id}`);
      regular.importPlayer({ ...state, usualFormat: five });
    }
    regular.update({
      sideA: ['ann'],
      sideB: ['eve'],
      date: '2024-06-10',
      winner: 'a',
      sets: { a: 3, b: 1 },
    });
    const usual = regular.update({
      sideA: ['ann'],
      sideB: ['cid'],
      date: '2024-06-10',
      winner: 'a',
    });
    expect(usual.setsToWin).toBe(3);
    expect(usual.formatFactor).toBe(1);
  });

  it('reads saved states without the format fields as an unknown format', () => {
    const engine = new RatingEngine();
    engine.update({
      sideA: ['ann'],
      sideB: ['bob'],
      date: '2024-05-01',
      winner: 'a',
      sets: { a: 3, b: 0 },
    });
    const saved = engine.exportPlayer('ann');
    if (!saved) throw new Error('no state for ann');
    const { lastSetsToWin: _l, usualFormat: _u, ...old } = saved;
    const fresh = new RatingEngine();
    fresh.importPlayer(old);
    expect(fresh.exportPlayer('ann')).toMatchObject({ lastSetsToWin: 0, usualFormat: 0 });
  });

  it('starts onboarded players at their self-assessed level, with high uncertainty', () => {
    const engine = new RatingEngine();
    const start = LEVELS.map((level) => engine.newPlayer(level, level));
    for (let i = 1; i < start.length; i++) {
      expect(start[i]?.rating).toBeGreaterThan(start[i - 1]?.rating ?? 0);
    }
    expect(engine.rating('intermediate')?.rating).toBe(1500);
    for (const r of start) {
      expect(r.reliability).toBe(0);
      expect(r.matches).toBe(0);
      expect(r.lastPlayed).toBeNull();
    }
    engine.update({ sideA: ['expert'], sideB: ['beginner'], date: '2024-01-01', winner: 'a' });
    const again = engine.newPlayer('expert', 'beginner');
    expect(again.matches).toBe(1);
    expect(again.rating).toBeGreaterThan(start[4]?.rating ?? 0);
  });

  it('favours the side with the higher-level players before any match', () => {
    const engine = new RatingEngine();
    engine.newPlayer('e', 'expert');
    engine.newPlayer('b', 'beginner');
    expect(engine.predict(['e'], ['b'], '2024-01-01')).toBeGreaterThan(0.8);
  });

  it('rejects malformed matches with clear errors', () => {
    const engine = new RatingEngine();
    expect(() => engine.predict(['a'], ['b'], '2024-13-01')).toThrow(/ISO date/);
    expect(() =>
      engine.update({ sideA: ['a'], sideB: ['a'], date: '2024-01-01', winner: 'a' }),
    ).toThrow(/twice/);
    expect(() =>
      engine.update({ sideA: [''], sideB: ['b'], date: '2024-01-01', winner: 'a' }),
    ).toThrow(/empty/);
    expect(() =>
      engine.update({
        sideA: ['a'],
        sideB: ['b'],
        date: '2024-01-01',
        winner: 'a',
        games: { a: -1, b: 2 },
      }),
    ).toThrow(/not negative/);
  });
});
