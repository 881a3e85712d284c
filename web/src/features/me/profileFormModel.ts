import type { Level, Me, ProfileInput, Sport } from '#domain/schemas/me';
import { SPORT_LABELS, SPORTS } from '#domain/schemas/me';
import type { FieldTarget } from '../../lib/forms';

/** What the profile form holds while it is edited: every sport, checked or not. */
export interface ProfileFormValues {
  displayName: string;
  phone: string;
  cityOrClub: string;
  sports: Record<Sport, { checked: boolean; level: Level | '' }>;
}

export const PROFILE_FIELD_IDS = {
  displayName: 'profile-displayName',
  phone: 'profile-phone',
  cityOrClub: 'profile-cityOrClub',
  sports: 'profile-sports',
} as const;

export function sportCheckboxId(sport: Sport): string {
  return `profile-sport-${sport}`;
}

export function sportLevelId(sport: Sport): string {
  return `profile-sport-${sport}-level`;
}

export function profileFormValues(profile: Me['profile'] | null | undefined): ProfileFormValues {
  const sports = Object.fromEntries(
    SPORTS.map((sport) => {
      const played = profile?.sports.find((s) => s.sport === sport);
      return [sport, { checked: Boolean(played), level: played?.level ?? '' }];
    }),
  ) as ProfileFormValues['sports'];
  return {
    displayName: profile?.displayName ?? '',
    phone: profile?.phone ?? '',
    cityOrClub: profile?.cityOrClub ?? '',
    sports,
  };
}

/**
 * The request body for the form's values, before validation. Sports keep the order of `SPORTS`,
 * which is also how `sports.<index>` in an error maps back to a sport.
 */
export function profileInputFrom(values: ProfileFormValues): ProfileInput {
  return {
    displayName: values.displayName,
    phone: values.phone,
    cityOrClub: values.cityOrClub,
    sports: SPORTS.filter((sport) => values.sports[sport].checked).map((sport) => ({
      sport,
      level: values.sports[sport].level as Level,
    })),
  };
}

/**
 * Where each error path of the profile schema is shown. `submitted` is the sports list that was
 * validated or sent, so `sports.1.level` can be pinned to the right sport's level select.
 */
export function locateProfileField(submitted: readonly { sport: string }[]) {
  return (field: string): FieldTarget | null => {
    const [head, index, leaf] = field.split('.');
    switch (head) {
      case 'displayName':
        return { targetId: PROFILE_FIELD_IDS.displayName, label: 'Display name' };
      case 'phone':
        return { targetId: PROFILE_FIELD_IDS.phone, label: 'Phone' };
      case 'cityOrClub':
        return { targetId: PROFILE_FIELD_IDS.cityOrClub, label: 'City or club' };
      case 'sports': {
        const sport = index === undefined ? undefined : submitted[Number(index)]?.sport;
        if (leaf === 'level' && sport && (SPORTS as readonly string[]).includes(sport)) {
          const label = SPORT_LABELS[sport as Sport];
          return {
            targetId: sportLevelId(sport as Sport),
            label: `${label} level`,
            // The schema's enum message lists the raw values; a person needs a plainer request.
            message: `Choose your level in ${label.toLowerCase()}`,
          };
        }
        return { targetId: PROFILE_FIELD_IDS.sports, label: 'Sports' };
      }
      default:
        return null;
    }
  };
}
