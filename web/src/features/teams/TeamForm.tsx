import type { Team } from '#domain/schemas/teams';
import { TeamInput } from '#domain/schemas/teams';
import {
  Banner,
  Button,
  ColourSwatch,
  ConflictBanner,
  FormErrorSummary,
  OfflineNotice,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors, type FieldTarget } from '../../lib/forms';
import { useEditBase, useSchemaForm } from '../../lib/schemaForm';
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

/** A preview of a colour once it is a whole hex code. */
function Swatch({ colour }: { colour: string }) {
  return HEX.test(colour) ? <ColourSwatch colour={colour} /> : null;
}

const toInput = (values: Values) => ({
  name: values.name,
  homeVenue: optional(values.homeVenue),
  primaryColour: optional(values.primaryColour),
  secondaryColour: optional(values.secondaryColour),
});

export type TeamFormProps =
  | { mode: 'create'; divisionId: string; onSaved: (team: Team) => void }
  | { mode: 'edit'; team: Team; onSaved: (team: Team) => void };

/** Creates a team in a division or edits one; validated with the shared `TeamInput` schema. */
export function TeamForm(props: TeamFormProps) {
  const team = props.mode === 'edit' ? props.team : null;
  const { form, summary, field, showErrors, showProblem, onSubmit } = useSchemaForm({
    schema: TeamInput,
    defaultValues: valuesOf(team),
    toInput,
    locate,
  });
  const create = useCreateTeam(props.mode === 'create' ? props.divisionId : '');
  const update = useUpdateTeam(team?.id ?? '');
  // The version the values came from: a save against an older version than the server's gets 412.
  const { baseVersion, loadTheirs } = useEditBase(form, team, valuesOf, update.reset);
  const save = team ? update : create;

  const onError = (error: unknown) => {
    // The API's 409 here means the name is taken in the division: the name field's problem.
    if (!showProblem(error) && isApiError(error, 409))
      showErrors([{ field: 'name', message: 'A team with this name is already in this division' }]);
  };

  const send = (input: TeamInput) => {
    const idempotencyKey = newIdempotencyKey();
    if (team) {
      update.mutate(
        { teamId: team.id, input, version: baseVersion, idempotencyKey },
        { onSuccess: props.onSaved, onError },
      );
    } else {
      create.mutate({ input, idempotencyKey }, { onSuccess: props.onSaved, onError });
    }
  };

  const conflict = isApiError(save.error, 412);
  const otherError =
    save.isError && !problemFieldErrors(save.error) && !isApiError(save.error, 409) && !conflict;

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, () => {
        create.reset();
        update.reset();
      })}
    >
      <FormErrorSummary {...summary} />
      <OfflineNotice paused={save.isPaused}>
        The team will be saved when the connection is back.
      </OfflineNotice>
      {conflict ? <ConflictBanner what="team" onLoadTheirs={loadTheirs} /> : null}
      {otherError ? <Banner tone="error">{describeError(save.error)}</Banner> : null}
      <TextField label="Team name" autoComplete="off" {...field('name', IDS.name)} />
      <TextField
        label="Home venue"
        labelSuffix="(optional)"
        {...field('homeVenue', IDS.homeVenue)}
      />
      <div className="field-row">
        {(['primaryColour', 'secondaryColour'] as const).map((key) => (
          <div className="colour-field" key={key}>
            <TextField
              label={LABELS[key]}
              labelSuffix="(optional)"
              hint="Like #1a7f37"
              autoComplete="off"
              spellCheck={false}
              {...field(key, IDS[key])}
            />
            <Swatch colour={form.watch(key).trim()} />
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
