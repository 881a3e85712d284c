import { describe, expect, it } from 'vitest';
import { CaptainTransfer } from '#domain/schemas/teams';
import { placeErrors, validate } from '../../lib/forms';
import { locateCaptainField, NEW_CAPTAIN_ID } from './captaincyForm';

const MEMBER = '00000000-0000-4000-8000-00000000000a';

function errorsOf(userId: string) {
  const result = validate(CaptainTransfer, { userId });
  return result.ok ? [] : placeErrors(result.errors, locateCaptainField);
}

describe('the captaincy form', () => {
  it('asks for a member when none is chosen, at the new captain field', () => {
    expect(errorsOf('')).toEqual([
      {
        field: 'userId',
        message: 'Choose a member',
        targetId: NEW_CAPTAIN_ID,
        label: 'New captain',
      },
    ]);
  });

  it('sends a chosen member', () => {
    expect(errorsOf(MEMBER)).toEqual([]);
  });
});
