import { describe, expect, it } from 'vitest';
import { ProfileInput } from '#domain/schemas/me';
import { placeErrors, validate } from '../../lib/forms';
import {
  locateProfileField,
  PROFILE_FIELD_IDS,
  profileFormValues,
  profileInputFrom,
  sportLevelId,
} from './profileFormModel';

describe('the profile form model', () => {
  it('sends only the checked sports, in a fixed order', () => {
    const values = profileFormValues(null);
    values.sports.padel = { checked: true, level: 'novice' };
    values.sports.tennis = { checked: true, level: 'expert' };
    values.sports.squash = { checked: false, level: 'advanced' };
    expect(profileInputFrom(values).sports).toEqual([
      { sport: 'tennis', level: 'expert' },
      { sport: 'padel', level: 'novice' },
    ]);
  });

  it('starts from the saved profile', () => {
    const values = profileFormValues({
      displayName: 'Kim',
      phone: null,
      cityOrClub: 'Leeds',
      sports: [{ sport: 'badminton', level: 'beginner' }],
      version: 2,
      updatedAt: '2026-01-01T00:00:00Z',
    });
    expect(values.phone).toBe('');
    expect(values.sports.badminton).toEqual({ checked: true, level: 'beginner' });
    expect(values.sports.tennis.checked).toBe(false);
  });

  it("pins a sport's missing level to that sport's select, in plain words", () => {
    const values = profileFormValues(null);
    values.displayName = 'Kim';
    values.cityOrClub = 'Leeds';
    values.sports.tennis = { checked: true, level: 'advanced' };
    values.sports.squash = { checked: true, level: '' };
    const input = profileInputFrom(values);
    const result = validate(ProfileInput, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const placed = placeErrors(result.errors, locateProfileField(input.sports));
    expect(placed).toEqual([
      {
        field: 'sports.1.level',
        message: 'Choose your level in squash',
        targetId: sportLevelId('squash'),
        label: 'Squash level',
      },
    ]);
  });

  it('shows errors about the sports list at the fieldset', () => {
    const locate = locateProfileField([]);
    expect(locate('sports')?.targetId).toBe(PROFILE_FIELD_IDS.sports);
    expect(locate('sports.3.sport')?.targetId).toBe(PROFILE_FIELD_IDS.sports);
    expect(locate('somethingElse')).toBeNull();
  });
});
