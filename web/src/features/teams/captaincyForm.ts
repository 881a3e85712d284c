import type { FieldTarget } from '../../lib/forms';

/** The id of the captaincy form's one field, the member who becomes captain. */
export const NEW_CAPTAIN_ID = 'captain-user';

/** The captaincy form's values: the chosen member's id, empty until one is chosen. */
export interface CaptaincyValues {
  userId: string;
}

/**
 * Where an error of `CaptainTransfer` is shown: the only way to get `userId` wrong in the form is
 * to choose nobody, so it asks for a member whatever the schema's wording.
 */
export function locateCaptainField(field: string): FieldTarget | null {
  return field === 'userId'
    ? { targetId: NEW_CAPTAIN_ID, label: 'New captain', message: 'Choose a member' }
    : null;
}
