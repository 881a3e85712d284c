import { describe, expect, it } from 'vitest';
import type { RatingHistoryPoint } from '#domain/schemas/ratings';
import { reliabilityOf } from './labels';
import { sportLabel, whyMoved } from './why';

const point = (over: Partial<RatingHistoryPoint['why']>, won = true): RatingHistoryPoint => ({
  matchId: '00000000-0000-4000-8000-000000000001',
  date: '2027-03-09',
  kind: 'singles',
  line: 1,
  before: 1500,
  after: 1511,
  deviationAfter: 150,
  won,
  opponents: [],
  partner: null,
  why: {
    expected: 0.62,
    result: 8,
    margin: 3,
    career: 0,
    change: 11,
    score: '6-1 6-2',
    inactivityDeviation: 0,
    stepSize: 1,
    ...over,
  },
});

describe('why my rating moved', () => {
  it('says the chance, the result part and the margin part in plain words', () => {
    expect(whyMoved(point({}), { you: true, name: 'Pia' })).toBe(
      'You were expected to win 62%. Winning added +8; winning 6-1 6-2, more than expected, ' +
        'added +3. In all +11: 1500 to 1511.',
    );
  });

  it('names another player, and a close loss that lost little', () => {
    const text = whyMoved(
      point(
        { expected: 0.3, result: -4, margin: 1, career: 0.6, change: -2, score: '5-7 6-7(4)' },
        false,
      ),
      { you: false, name: 'Pia' },
    );
    expect(text).toContain('Pia was expected to win 30%.');
    expect(text).toContain('Losing took −4; losing 5-7 6-7(4), closer than expected, added +1.');
    expect(text).toContain('at this stage of a career, added +1.');
  });

  it('calls a rating provisional under half reliability, and names sports', () => {
    expect(reliabilityOf(0.49)).toBe('provisional');
    expect(reliabilityOf(0.5)).toBe('settling');
    expect(reliabilityOf(0.8)).toBe('established');
    expect(sportLabel('tennis')).toBe('Tennis');
    expect(sportLabel('custom:spikeball')).toBe('Spikeball');
  });
});
