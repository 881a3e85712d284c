import { useState, type FormEvent } from 'react';
import { SeasonInput } from '../../../../domain/schemas/league';
import type { FieldError } from '../../../../domain/schemas/problem';
import {
  Banner,
  Button,
  Checkbox,
  FormErrorSummary,
  OfflineNotice,
  TextField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import {
  describeError,
  errorFor,
  placeErrors,
  problemFieldErrors,
  validate,
  type FieldTarget,
  type FormError,
} from '../../lib/forms';
import { useCreateSeason } from './api';

const IDS = {
  name: 'season-name',
  startsOn: 'season-startsOn',
  endsOn: 'season-endsOn',
  registrationOpen: 'season-registrationOpen',
} as const;

const LABELS = { name: 'Season name', startsOn: 'Starts on', endsOn: 'Ends on' } as const;

function locate(field: string): FieldTarget | null {
  if (field === 'name' || field === 'startsOn' || field === 'endsOn') {
    return { targetId: IDS[field], label: LABELS[field] };
  }
  return null;
}

function place(errors: readonly FieldError[]) {
  return placeErrors(errors, locate);
}

/** Adds a season to a league: its name, dates, and whether teams may register yet. */
export function SeasonForm({ leagueId, onSaved }: { leagueId: string; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [registrationOpen, setRegistrationOpen] = useState(true);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateSeason(leagueId);

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.reset();
    const result = validate(SeasonInput, {
      name,
      startsOn: startsOn || undefined,
      endsOn: endsOn || undefined,
      registrationOpen,
    });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    create.mutate(
      { input: result.data, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: onSaved,
        onError: (error) => {
          const fieldErrors = problemFieldErrors(error);
          if (fieldErrors) showErrors(place(fieldErrors));
        },
      },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary errors={errors} attempt={attempt} />
      <OfflineNotice paused={create.isPaused}>
        The season will be added when the connection is back.
      </OfflineNotice>
      {create.isError && !problemFieldErrors(create.error) ? (
        <Banner tone="error">{describeError(create.error)}</Banner>
      ) : null}
      <TextField
        id={IDS.name}
        label="Season name"
        hint="For example: Spring 2027"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errorFor(errors, IDS.name)}
      />
      <div className="field-row">
        <TextField
          id={IDS.startsOn}
          label="Starts on"
          type="date"
          value={startsOn}
          onChange={(e) => setStartsOn(e.target.value)}
          error={errorFor(errors, IDS.startsOn)}
        />
        <TextField
          id={IDS.endsOn}
          label="Ends on"
          type="date"
          value={endsOn}
          onChange={(e) => setEndsOn(e.target.value)}
          error={errorFor(errors, IDS.endsOn)}
        />
      </div>
      <Checkbox
        id={IDS.registrationOpen}
        label="Registration is open: captains can create teams"
        checked={registrationOpen}
        onChange={(e) => setRegistrationOpen(e.target.checked)}
      />
      <div className="form__actions">
        <Button type="submit" busy={create.isPending} busyLabel="Adding…">
          Add season
        </Button>
      </div>
    </form>
  );
}
