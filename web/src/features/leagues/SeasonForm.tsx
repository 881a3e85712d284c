import { useState, type FormEvent } from 'react';
import type { Season } from '#domain/schemas/leagues';
import { SeasonInput } from '#domain/schemas/leagues';
import type { FieldError } from '#domain/schemas/problem';
import {
  Banner,
  Button,
  Checkbox,
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
import { useCreateSeason, useUpdateSeason } from './api';

const LABELS = { name: 'Season name', startsOn: 'Starts on', endsOn: 'Ends on' } as const;

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
  const [name, setName] = useState(season?.name ?? '');
  const [startsOn, setStartsOn] = useState(season?.startsOn.slice(0, 10) ?? '');
  const [endsOn, setEndsOn] = useState(season?.endsOn.slice(0, 10) ?? '');
  const [registrationOpen, setRegistrationOpen] = useState(season?.registrationOpen ?? true);
  // The version the form was opened on: a save after someone else's gets 412, not silently theirs.
  const [baseVersion] = useState(season?.version ?? 0);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateSeason(leagueId);
  const update = useUpdateSeason(leagueId);
  const save = season ? update : create;

  function locate(field: string): FieldTarget | null {
    if (field === 'name' || field === 'startsOn' || field === 'endsOn') {
      return { targetId: ids[field], label: LABELS[field] };
    }
    return null;
  }
  const place = (list: readonly FieldError[]) => placeErrors(list, locate);

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  const onError = (error: unknown) => {
    const fieldErrors = problemFieldErrors(error);
    if (fieldErrors) showErrors(place(fieldErrors));
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.reset();
    update.reset();
    const result = validate(SeasonInput, {
      name,
      startsOn: startsOn || undefined,
      endsOn: endsOn || undefined,
      registrationOpen,
    });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    const idempotencyKey = newIdempotencyKey();
    if (season) {
      update.mutate(
        { seasonId: season.id, input: result.data, version: baseVersion, idempotencyKey },
        { onSuccess: onSaved, onError },
      );
    } else {
      create.mutate({ input: result.data, idempotencyKey }, { onSuccess: onSaved, onError });
    }
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      <OfflineNotice paused={save.isPaused}>
        The season will be saved when the connection is back.
      </OfflineNotice>
      {isApiError(save.error, 412) ? (
        <Banner tone="error" title="This season was changed elsewhere">
          Someone saved it after you opened this form. Cancel to see their version, then edit again.
        </Banner>
      ) : save.isError && !problemFieldErrors(save.error) ? (
        <Banner tone="error">{describeError(save.error)}</Banner>
      ) : null}
      <TextField
        id={ids.name}
        label="Season name"
        hint="For example: Spring 2027"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errorFor(errors, ids.name)}
      />
      <div className="field-row">
        <TextField
          id={ids.startsOn}
          label="Starts on"
          type="date"
          value={startsOn}
          onChange={(e) => setStartsOn(e.target.value)}
          error={errorFor(errors, ids.startsOn)}
        />
        <TextField
          id={ids.endsOn}
          label="Ends on"
          type="date"
          value={endsOn}
          onChange={(e) => setEndsOn(e.target.value)}
          error={errorFor(errors, ids.endsOn)}
        />
      </div>
      <Checkbox
        id={ids.registrationOpen}
        label="Registration is open: captains can create teams"
        checked={registrationOpen}
        onChange={(e) => setRegistrationOpen(e.target.checked)}
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
