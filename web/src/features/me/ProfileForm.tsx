import { useState } from 'react';
import type { Me, Profile } from '#domain/schemas/me';
import { LEVEL_LABELS, LEVELS, ProfileInput, SPORT_LABELS, SPORTS } from '#domain/schemas/me';
import {
  Banner,
  Button,
  Checkbox,
  ConflictBanner,
  Fieldset,
  FormErrorSummary,
  OfflineNotice,
  SavedStatus,
  Select,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useSchemaForm } from '../../lib/schemaForm';
import { useSaveProfile } from './api';
import {
  locateProfileField,
  PROFILE_FIELD_IDS as IDS,
  profileFormValues,
  profileInputFrom,
  sportCheckboxId,
  sportLevelId,
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
  const { form, summary, errorFor, field, showProblem, clearErrors, onSubmit } = useSchemaForm({
    schema: ProfileInput,
    defaultValues: profileFormValues(profile),
    toInput: profileInputFrom,
    locate: (field, _message, sent) => locateProfileField(sent.sports)(field),
  });
  const [baseVersion, setBaseVersion] = useState<number | null>(profile?.version ?? null);
  const [conflict, setConflict] = useState(false);
  const save = useSaveProfile();
  const values = form.watch();

  function send(input: Profile) {
    save.mutate(
      { input, version: baseVersion, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: (me) => {
          setBaseVersion(me.profile?.version ?? null);
          onSaved?.(me);
        },
        onError: (error) => {
          if (!showProblem(error) && isApiError(error, 412)) setConflict(true);
        },
      },
    );
  }

  function reloadFromServer() {
    form.reset(profileFormValues(profile));
    setBaseVersion(profile?.version ?? null);
    clearErrors();
    setConflict(false);
  }

  /** "Saved" describes the form as it was sent; an edit makes it untrue. */
  const edited = {
    onChange: () => {
      if (save.isSuccess) save.reset();
    },
  };

  const otherFailure =
    save.isError && !problemFieldErrors(save.error) && !isApiError(save.error, 412);

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, () => {
        save.reset();
        setConflict(false);
      })}
    >
      <FormErrorSummary {...summary} />
      <OfflineNotice paused={save.isPaused}>
        Your profile will be saved when the connection is back.
      </OfflineNotice>
      {conflict ? (
        <ConflictBanner
          what="profile"
          title="This profile was changed elsewhere; reload"
          tone="warning"
          onLoadTheirs={reloadFromServer}
          loadTheirsLabel="Reload profile"
        >
          Someone (perhaps you, on another device) saved this profile after you opened it. Reload it
          to see the latest version, then make your changes again.
        </ConflictBanner>
      ) : null}
      {otherFailure ? <Banner tone="error">{describeError(save.error)}</Banner> : null}

      <TextField
        label="Display name"
        hint="How other players, captains and organizers will see you."
        autoComplete="name"
        {...field('displayName', IDS.displayName, edited)}
      />
      <TextField
        type="tel"
        label="Phone"
        labelSuffix="(optional)"
        hint="International format, e.g. +14155550123"
        autoComplete="tel"
        inputMode="tel"
        {...field('phone', IDS.phone, edited)}
      />
      <TextField
        label="City or club"
        hint="Where you usually play, e.g. Austin or Riverside Tennis Club."
        autoComplete="address-level2"
        {...field('cityOrClub', IDS.cityOrClub, edited)}
      />
      <Fieldset
        id={IDS.sports}
        legend="Sports you play"
        hint="Choose each sport you play and how well you play it."
        error={errorFor(IDS.sports)}
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
                onChange={(e) => {
                  form.setValue(`sports.${sport}.checked`, e.target.checked);
                  edited.onChange();
                }}
              >
                <Select
                  label={`${SPORT_LABELS[sport]} level`}
                  placeholder="Choose a level"
                  options={LEVEL_OPTIONS}
                  {...field(`sports.${sport}.level`, sportLevelId(sport), edited)}
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
