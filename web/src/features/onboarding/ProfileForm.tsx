import { useState, type FormEvent } from 'react';
import type { Me, Sport } from '#domain/schemas/me';
import { LEVEL_LABELS, LEVELS, ProfileInput, SPORT_LABELS, SPORTS } from '#domain/schemas/me';
import {
  Banner,
  Button,
  Checkbox,
  Fieldset,
  FormErrorSummary,
  OfflineNotice,
  SavedStatus,
  Select,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import {
  describeError,
  errorFor,
  placeErrors,
  problemFieldErrors,
  validate,
  type FormError,
} from '../../lib/forms';
import { useSaveProfile } from './api';
import {
  locateProfileField,
  PROFILE_FIELD_IDS as IDS,
  profileFormValues,
  profileInputFrom,
  sportCheckboxId,
  sportLevelId,
  type ProfileFormValues,
} from './profileFormModel';

const LEVEL_OPTIONS = LEVELS.map((level) => ({ value: level, label: LEVEL_LABELS[level] }));

export interface ProfileFormProps {
  /** The server's current profile (null before the first save); the form starts from it. */
  profile: Me['profile'];
  submitLabel: string;
  /** Shown by the submit button after a save, for forms that stay on the page. */
  savedMessage?: string;
  onSaved?: (me: Me) => void;
}

/**
 * The profile form of onboarding and of the profile page. It validates with the same
 * `ProfileInput` schema as the API and shows the API's own field errors the same way.
 */
export function ProfileForm({ profile, submitLabel, savedMessage, onSaved }: ProfileFormProps) {
  const [values, setValues] = useState<ProfileFormValues>(() => profileFormValues(profile));
  const [baseVersion, setBaseVersion] = useState<number | null>(profile?.version ?? null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [conflict, setConflict] = useState(false);
  const save = useSaveProfile();

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.reset();
    setConflict(false);
    const input = profileInputFrom(values);
    const result = validate(ProfileInput, input);
    if (!result.ok) {
      showErrors(placeErrors(result.errors, locateProfileField(input.sports)));
      return;
    }
    setErrors([]);
    const sent = result.data;
    save.mutate(
      { input: sent, version: baseVersion, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: (me) => {
          setBaseVersion(me.profile?.version ?? null);
          onSaved?.(me);
        },
        onError: (error) => {
          const fieldErrors = problemFieldErrors(error);
          if (fieldErrors) showErrors(placeErrors(fieldErrors, locateProfileField(sent.sports)));
          else if (isApiError(error, 412)) setConflict(true);
        },
      },
    );
  }

  function reloadFromServer() {
    setValues(profileFormValues(profile));
    setBaseVersion(profile?.version ?? null);
    setErrors([]);
    setConflict(false);
  }

  function edit(update: (v: ProfileFormValues) => ProfileFormValues) {
    // "Saved" describes the form as it was sent; an edit makes it untrue.
    if (save.isSuccess) save.reset();
    setValues(update);
  }

  function setField(field: 'displayName' | 'phone' | 'cityOrClub', value: string) {
    edit((v) => ({ ...v, [field]: value }));
  }

  function setSport(sport: Sport, change: Partial<ProfileFormValues['sports'][Sport]>) {
    edit((v) => ({
      ...v,
      sports: { ...v.sports, [sport]: { ...v.sports[sport], ...change } },
    }));
  }

  const otherFailure =
    save.isError && !problemFieldErrors(save.error) && !isApiError(save.error, 412);

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      <OfflineNotice paused={save.isPaused}>
        Your profile will be saved when the connection is back.
      </OfflineNotice>
      {conflict ? (
        <Banner
          tone="warning"
          title="This profile was changed elsewhere; reload"
          actions={
            <Button variant="secondary" onClick={reloadFromServer}>
              Reload profile
            </Button>
          }
        >
          Someone (perhaps you, on another device) saved this profile after you opened it. Reload it
          to see the latest version, then make your changes again.
        </Banner>
      ) : null}
      {otherFailure ? <Banner tone="error">{describeError(save.error)}</Banner> : null}

      <TextField
        id={IDS.displayName}
        name="displayName"
        label="Display name"
        hint="How other players, captains and organizers will see you."
        autoComplete="name"
        value={values.displayName}
        onChange={(e) => setField('displayName', e.target.value)}
        error={errorFor(errors, IDS.displayName)}
      />
      <TextField
        id={IDS.phone}
        name="phone"
        type="tel"
        label="Phone"
        labelSuffix="(optional)"
        hint="International format, e.g. +14155550123"
        autoComplete="tel"
        inputMode="tel"
        value={values.phone}
        onChange={(e) => setField('phone', e.target.value)}
        error={errorFor(errors, IDS.phone)}
      />
      <TextField
        id={IDS.cityOrClub}
        name="cityOrClub"
        label="City or club"
        hint="Where you usually play, e.g. Austin or Riverside Tennis Club."
        autoComplete="address-level2"
        value={values.cityOrClub}
        onChange={(e) => setField('cityOrClub', e.target.value)}
        error={errorFor(errors, IDS.cityOrClub)}
      />
      <Fieldset
        id={IDS.sports}
        legend="Sports you play"
        hint="Choose each sport you play and how well you play it."
        error={errorFor(errors, IDS.sports)}
      >
        <div className="choices">
          {SPORTS.map((sport) => {
            const entry = values.sports[sport];
            return (
              <Checkbox
                key={sport}
                id={sportCheckboxId(sport)}
                name="sports"
                value={sport}
                label={SPORT_LABELS[sport]}
                checked={entry.checked}
                onChange={(e) => setSport(sport, { checked: e.target.checked })}
              >
                <Select
                  id={sportLevelId(sport)}
                  label={`${SPORT_LABELS[sport]} level`}
                  placeholder="Choose a level"
                  options={LEVEL_OPTIONS}
                  value={entry.level}
                  onChange={(e) =>
                    setSport(sport, {
                      level: e.target.value as ProfileFormValues['sports'][Sport]['level'],
                    })
                  }
                  error={errorFor(errors, sportLevelId(sport))}
                />
              </Checkbox>
            );
          })}
        </div>
      </Fieldset>

      <div className="form__actions">
        <Button type="submit" busy={save.isPending} busyLabel="Saving…">
          {submitLabel}
        </Button>
        <SavedStatus show={save.isSuccess} message={savedMessage} />
      </div>
    </form>
  );
}
