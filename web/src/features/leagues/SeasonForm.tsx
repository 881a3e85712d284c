import { useState } from 'react';
import type { Season } from '#domain/schemas/leagues';
import { SeasonInput } from '#domain/schemas/leagues';
import {
  Banner,
  Button,
  Checkbox,
  ConflictBanner,
  DateField,
  FormErrorSummary,
  OfflineNotice,
  TextField,
} from '../../components';
import { isApiError, newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors, type FieldTarget } from '../../lib/forms';
import { useSchemaForm } from '../../lib/schemaForm';
import { useCreateSeason, useUpdateSeason } from './api';

const LABELS = { name: 'Season name', startsOn: 'Starts on', endsOn: 'Ends on' } as const;

interface Values {
  name: string;
  startsOn: string;
  endsOn: string;
  registrationOpen: boolean;
}

const toInput = (values: Values) => ({
  name: values.name,
  startsOn: values.startsOn || undefined,
  endsOn: values.endsOn || undefined,
  registrationOpen: values.registrationOpen,
});

export interface SeasonFormProps {
  leagueId: string;
  /** The season to edit; a new season when absent. */
  season?: Season;
  onSaved: () => void;
  onCancel?: () => void;
}

/** Adds or edits a season of a league: its name, dates, and whether teams may register. */
export function SeasonForm({ leagueId, season, onSaved, onCancel }: SeasonFormProps) {
  // Ids per season: a league page can show this form for a new season and an edited one at once.
  const suffix = season?.id ?? 'new';
  const ids = {
    name: `season-name-${suffix}`,
    startsOn: `season-startsOn-${suffix}`,
    endsOn: `season-endsOn-${suffix}`,
    registrationOpen: `season-registrationOpen-${suffix}`,
  };
  function locate(field: string): FieldTarget | null {
    if (field === 'name' || field === 'startsOn' || field === 'endsOn') {
      return { targetId: ids[field], label: LABELS[field] };
    }
    return null;
  }
  const { form, summary, field, showProblem, onSubmit } = useSchemaForm({
    schema: SeasonInput,
    defaultValues: {
      name: season?.name ?? '',
      startsOn: season?.startsOn.slice(0, 10) ?? '',
      endsOn: season?.endsOn.slice(0, 10) ?? '',
      registrationOpen: season?.registrationOpen ?? true,
    } satisfies Values,
    toInput,
    locate,
  });
  // The version the form was opened on: a save after someone else's gets 412, not silently theirs.
  const [baseVersion] = useState(season?.version ?? 0);
  const create = useCreateSeason(leagueId);
  const update = useUpdateSeason(leagueId);
  const save = season ? update : create;

  const send = (input: SeasonInput) => {
    const idempotencyKey = newIdempotencyKey();
    const callbacks = { onSuccess: onSaved, onError: showProblem };
    if (season) {
      update.mutate(
        { seasonId: season.id, input, version: baseVersion, idempotencyKey },
        callbacks,
      );
    } else {
      create.mutate({ input, idempotencyKey }, callbacks);
    }
  };

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
        The season will be saved when the connection is back.
      </OfflineNotice>
      {isApiError(save.error, 412) ? (
        <ConflictBanner what="season">
          Someone saved it after you opened this form. Cancel to see their version, then edit again.
        </ConflictBanner>
      ) : save.isError && !problemFieldErrors(save.error) ? (
        <Banner tone="error">{describeError(save.error)}</Banner>
      ) : null}
      <TextField label="Season name" hint="For example: Spring 2027" {...field('name', ids.name)} />
      <div className="field-row">
        <DateField label="Starts on" {...field('startsOn', ids.startsOn)} />
        <DateField label="Ends on" {...field('endsOn', ids.endsOn)} />
      </div>
      <Checkbox
        id={ids.registrationOpen}
        label="Registration is open: captains can create teams"
        {...form.register('registrationOpen')}
      />
      <div className="form__actions">
        <Button type="submit" busy={save.isPending} busyLabel="Saving…">
          {season ? 'Save season' : 'Add season'}
        </Button>
        {onCancel ? (
          <Button variant="quiet" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
