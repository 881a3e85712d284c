import { useState, type FormEvent } from 'react';
import type { Team } from '#domain/schemas/teams';
import { TeamInput } from '#domain/schemas/teams';
import type { FieldError } from '#domain/schemas/problem';
import {
  Banner,
  Button,
  ColourSwatch,
  FormErrorSummary,
  OfflineNotice,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import {
  describeError,
  errorFor,
  placeErrors,
  problemFieldErrors,
  validate,
  type FieldTarget,
  type FormError,
} from '../../lib/forms';
import { useCreateTeam, useUpdateTeam } from './api';

const IDS = {
  name: 'team-name',
  homeVenue: 'team-homeVenue',
  primaryColour: 'team-primaryColour',
  secondaryColour: 'team-secondaryColour',
} as const;

const LABELS: Record<keyof typeof IDS, string> = {
  name: 'Team name',
  homeVenue: 'Home venue',
  primaryColour: 'Main colour',
  secondaryColour: 'Second colour',
};

function locate(field: string): FieldTarget | null {
  return field in IDS
    ? { targetId: IDS[field as keyof typeof IDS], label: LABELS[field as keyof typeof IDS] }
    : null;
}
const place = (errors: readonly FieldError[]) => placeErrors(errors, locate);

interface Values {
  name: string;
  homeVenue: string;
  primaryColour: string;
  secondaryColour: string;
}

function valuesOf(team: Team | null): Values {
  return {
    name: team?.name ?? '',
    homeVenue: team?.homeVenue ?? '',
    primaryColour: team?.primaryColour ?? '',
    secondaryColour: team?.secondaryColour ?? '',
  };
}

const optional = (text: string) => (text.trim() === '' ? null : text.trim());
const HEX = /^#[0-9a-fA-F]{6}$/;

export type TeamFormProps =
  | { mode: 'create'; divisionId: string; onSaved: (team: Team) => void }
  | { mode: 'edit'; team: Team; onSaved: (team: Team) => void };

/** Creates a team in a division or edits one; validated with the shared `TeamInput` schema. */
export function TeamForm(props: TeamFormProps) {
  const team = props.mode === 'edit' ? props.team : null;
  const [values, setValues] = useState<Values>(() => valuesOf(team));
  // The version the values came from: a save against an older version than the server's gets 412.
  const [baseVersion, setBaseVersion] = useState(team?.version ?? 0);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateTeam(props.mode === 'create' ? props.divisionId : '');
  const update = useUpdateTeam(team?.id ?? '');
  const save = team ? update : create;

  function set(key: keyof Values, value: string) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  const onError = (error: unknown) => {
    const fieldErrors = problemFieldErrors(error);
    if (fieldErrors) showErrors(place(fieldErrors));
    // The API's 409 here means the name is taken in the division: the name field's problem.
    else if (isApiError(error, 409))
      showErrors(
        place([{ field: 'name', message: 'A team with this name is already in this division' }]),
      );
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.reset();
    update.reset();
    const result = validate(TeamInput, {
      name: values.name,
      homeVenue: optional(values.homeVenue),
      primaryColour: optional(values.primaryColour),
      secondaryColour: optional(values.secondaryColour),
    });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    const idempotencyKey = newIdempotencyKey();
    if (team) {
      update.mutate(
        { teamId: team.id, input: result.data, version: baseVersion, idempotencyKey },
        { onSuccess: props.onSaved, onError },
      );
    } else {
      create.mutate({ input: result.data, idempotencyKey }, { onSuccess: props.onSaved, onError });
    }
  }

  const conflict = isApiError(save.error, 412);
  const otherError =
    save.isError && !problemFieldErrors(save.error) && !isApiError(save.error, 409) && !conflict;

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      <OfflineNotice paused={save.isPaused}>
        The team will be saved when the connection is back.
      </OfflineNotice>
      {conflict ? (
        <Banner
          tone="error"
          title="This team was changed elsewhere"
          actions={
            team && team.version !== baseVersion ? (
              <Button
                variant="secondary"
                onClick={() => {
                  setValues(valuesOf(team));
                  setBaseVersion(team.version);
                  update.reset();
                }}
              >
                Load the newer version
              </Button>
            ) : null
          }
        >
          Someone saved it after you opened this form. Load the newer version, then make your
          changes again.
        </Banner>
      ) : null}
      {otherError ? <Banner tone="error">{describeError(save.error)}</Banner> : null}
      <TextField
        id={IDS.name}
        label="Team name"
        autoComplete="off"
        value={values.name}
        onChange={(e) => set('name', e.target.value)}
        error={errorFor(errors, IDS.name)}
      />
      <TextField
        id={IDS.homeVenue}
        label="Home venue"
        labelSuffix="(optional)"
        value={values.homeVenue}
        onChange={(e) => set('homeVenue', e.target.value)}
        error={errorFor(errors, IDS.homeVenue)}
      />
      <div className="field-row">
        {(['primaryColour', 'secondaryColour'] as const).map((key) => (
          <div className="colour-field" key={key}>
            <TextField
              id={IDS[key]}
              label={LABELS[key]}
              labelSuffix="(optional)"
              hint="Like #1a7f37"
              autoComplete="off"
              spellCheck={false}
              value={values[key]}
              onChange={(e) => set(key, e.target.value)}
              error={errorFor(errors, IDS[key])}
            />
            {HEX.test(values[key].trim()) ? <ColourSwatch colour={values[key].trim()} /> : null}
          </div>
        ))}
      </div>
      <div className="form__actions">
        <Button type="submit" busy={save.isPending} busyLabel="Saving…">
          {team ? 'Save team' : 'Create team'}
        </Button>
      </div>
    </form>
  );
}
