import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT, LeagueInput } from '#domain/schemas/leagues';
import { DEFAULT_STANDINGS_RULES_INPUT } from '#domain/schemas/standings';
import { placeErrors, validate } from '../../lib/forms';
import { formatSummary, levelBand } from './labels';
import {
  browserTimeZone,
  leagueFormValues,
  leagueInputFrom,
  locateLeagueField,
  moveTiebreaker,
  timeZoneOptions,
} from './leagueFormModel';

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

  it('results settings start at 48 hours and the default standings rules', () => {
    const values = { ...leagueFormValues(), name: 'Riverside', sport: 'tennis' as const };
    const result = validate(LeagueInput, leagueInputFrom(values));
    expect(result.ok && result.data.resultConfirmHours).toBe(48);
    expect(result.ok && result.data.standingsRules).toEqual(DEFAULT_STANDINGS_RULES_INPUT);
  });

  it('tiebreakers move up and down, and an unticked one is left out of the rules', () => {
    const start = leagueFormValues();
    const moved = moveTiebreaker(start.tiebreakers, 2, -1);
    expect(moved.map((t) => t.name).slice(0, 3)).toEqual(['head_to_head', 'sets_pct', 'lines_pct']);
    expect(moveTiebreaker(moved, 0, -1)).toBe(moved);
    const values = {
      ...start,
      name: 'Riverside',
      sport: 'tennis' as const,
      pointsFor: 'lines' as const,
      tiebreakers: moved.map((t) => (t.name === 'head_to_head' ? { ...t, on: false } : t)),
    };
    const result = validate(LeagueInput, leagueInputFrom(values));
    expect(result.ok && result.data.standingsRules).toEqual({
      pointsFor: 'lines',
      win: 2,
      tie: 1,
      loss: 0,
      tiebreakers: ['sets_pct', 'lines_pct', 'games_pct', 'fewest_forfeits'],
    });
  });

  it('points out of order and hours out of range are shown at their fields', () => {
    const values = {
      ...leagueFormValues(),
      name: 'Riverside',
      sport: 'tennis' as const,
      pointsWin: '1',
      pointsTie: '2',
      resultConfirmHours: '0',
    };
    expect(errorsOf(values).map((e) => [e.targetId, e.message])).toEqual([
      ['league-resultConfirmHours', 'At least 1 hour'],
      ['league-pointsWin', 'A win must earn at least a tie, and a tie at least a loss'],
    ]);
  });
});

describe('the league time zone in the form', () => {
  it("a new league starts in this browser's zone; an edited one keeps its own", () => {
    expect(leagueFormValues().timeZone).toBe(browserTimeZone());
    expect(Intl.supportedValuesOf('timeZone').concat('UTC')).toContain(browserTimeZone());
    const league = { ...leagueFormValues(), name: 'Riverside', sport: 'tennis' as const };
    const input = leagueInputFrom({ ...league, timeZone: 'America/New_York' });
    const result = validate(LeagueInput, input);
    expect(result.ok && result.data.timeZone).toBe('America/New_York');
  });

  it('offers every zone, and the current one even if this browser does not list it', () => {
    const options = timeZoneOptions('America/New_York');
    expect(options).toContainEqual({ value: 'America/New_York', label: 'America/New York' });
    expect(options.map((o) => o.value)).toContain('UTC');
    expect(timeZoneOptions('Asia/Calcutta')[0]?.value).toBe(
      Intl.supportedValuesOf('timeZone').includes('Asia/Calcutta') ? 'UTC' : 'Asia/Calcutta',
    );
  });

  it('an unknown zone is an error at the time zone field', () => {
    const values = { ...leagueFormValues(), name: 'Riverside', sport: 'tennis' as const };
    const errors = errorsOf({ ...values, timeZone: 'Mars/Olympus' });
    expect(errors.map((e) => e.targetId)).toEqual(['league-timeZone']);
  });
});
