import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT, LeagueInput } from '../../../../domain/schemas/league';
import { placeErrors, validate } from '../../lib/forms';
import { formatSummary, levelBand } from './labels';
import { leagueFormValues, leagueInputFrom, locateLeagueField } from './leagueFormModel';

function errorsOf(values: ReturnType<typeof leagueFormValues>) {
  const result = validate(LeagueInput, leagueInputFrom(values));
  if (result.ok) return [];
  return placeErrors(result.errors, (field) =>
    locateLeagueField(field, result.errors.find((e) => e.field === field)?.message),
  );
}

describe('the league form model', () => {
  it('a new league starts from the default format and passes once named and given a sport', () => {
    const values = { ...leagueFormValues(), name: 'Riverside', sport: 'tennis' as const };
    const result = validate(LeagueInput, leagueInputFrom(values));
    expect(result.ok && result.data.format).toEqual(DEFAULT_MATCH_FORMAT);
  });

  it('a zero count leaves that kind of line out, and no lines at all is an error at singles', () => {
    const values = { ...leagueFormValues(), name: 'Riverside', sport: 'padel' as const };
    const doublesOnly = validate(LeagueInput, leagueInputFrom({ ...values, singles: '0' }));
    expect(doublesOnly.ok && doublesOnly.data.format.lines).toEqual([
      { kind: 'doubles', count: 3 },
    ]);
    expect(errorsOf({ ...values, singles: '0', doubles: '0' })).toEqual([
      {
        field: 'format.lines',
        message: 'A team match needs at least one line',
        targetId: 'league-singles',
        label: 'Singles lines',
      },
    ]);
  });

  it('an empty tiebreak means none; typed text that is not a number is named as such', () => {
    const values = { ...leagueFormValues(), name: 'Riverside', sport: 'tennis' as const };
    const none = validate(LeagueInput, leagueInputFrom({ ...values, tiebreakAt: '' }));
    expect(none.ok && none.data.format.tiebreakAt).toBeNull();
    expect(errorsOf({ ...values, gamesPerSet: 'six' })).toEqual([
      expect.objectContaining({ targetId: 'league-gamesPerSet', message: 'Enter a whole number' }),
    ]);
  });

  it('a custom sport needs its name, and the roster limits their order', () => {
    const values = {
      ...leagueFormValues(),
      name: 'Riverside',
      sport: 'custom' as const,
      rosterMin: '9',
      rosterMax: '8',
    };
    expect(errorsOf(values).map((e) => [e.targetId, e.message])).toEqual([
      ['league-rosterMax', 'The largest roster cannot be smaller than the smallest'],
      ['league-customSport', 'Name the sport'],
    ]);
  });

  it('describes formats and level bands in words', () => {
    expect(formatSummary(DEFAULT_MATCH_FORMAT)[0]).toBe('2 singles + 3 doubles per team match');
    expect(levelBand(3, 3.5)).toBe('Levels 3.0–3.5');
    expect(levelBand(null, 4)).toBe('Up to level 4.0');
    expect(levelBand(null, null)).toBeNull();
  });
});
