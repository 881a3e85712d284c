import { useState, type FormEvent } from 'react';
import { DivisionInput } from '#domain/schemas/leagues';
import type { FieldError } from '#domain/schemas/problem';
import { Banner, Button, FormErrorSummary, OfflineNotice, TextField } from '../../components';
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
import { useCreateDivision } from './api';

/** An optional level: empty is no bound; anything else must be a number. */
function toLevel(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Adds a division (a level band) to a season. Ids are per season: a page lists several. */
export function DivisionForm({
  leagueId,
  seasonId,
  onSaved,
}: {
  leagueId: string;
  seasonId: string;
  onSaved?: () => void;
}) {
  const ids = {
    name: `division-name-${seasonId}`,
    levelMin: `division-levelMin-${seasonId}`,
    levelMax: `division-levelMax-${seasonId}`,
  };
  const [name, setName] = useState('');
  const [levelMin, setLevelMin] = useState('');
  const [levelMax, setLevelMax] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useCreateDivision(leagueId);

  function locate(field: string): FieldTarget | null {
    if (field === 'name') return { targetId: ids.name, label: 'Division name' };
    if (field === 'levelMin')
      return { targetId: ids.levelMin, label: 'Lowest level', message: 'A level from 0 to 10' };
    if (field === 'levelMax') return { targetId: ids.levelMax, label: 'Highest level' };
    return null;
  }
  const place = (list: readonly FieldError[]) => placeErrors(list, locate);

  function showErrors(next: FormError[]) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.reset();
    const result = validate(DivisionInput, {
      name,
      levelMin: toLevel(levelMin),
      levelMax: toLevel(levelMax),
    });
    if (!result.ok) return showErrors(place(result.errors));
    setErrors([]);
    create.mutate(
      { seasonId, input: result.data, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: () => {
          setName('');
          setLevelMin('');
          setLevelMax('');
          onSaved?.();
        },
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
        The division will be added when the connection is back.
      </OfflineNotice>
      {create.isError && !problemFieldErrors(create.error) ? (
        <Banner tone="error">{describeError(create.error)}</Banner>
      ) : null}
      <TextField
        id={ids.name}
        label="Division name"
        hint="For example: 3.5 Women"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errorFor(errors, ids.name)}
      />
      <div className="field-row">
        <TextField
          id={ids.levelMin}
          label="Lowest level"
          labelSuffix="(optional)"
          inputMode="decimal"
          value={levelMin}
          onChange={(e) => setLevelMin(e.target.value)}
          error={errorFor(errors, ids.levelMin)}
        />
        <TextField
          id={ids.levelMax}
          label="Highest level"
          labelSuffix="(optional)"
          inputMode="decimal"
          value={levelMax}
          onChange={(e) => setLevelMax(e.target.value)}
          error={errorFor(errors, ids.levelMax)}
        />
      </div>
      <div className="form__actions">
        <Button type="submit" variant="secondary" busy={create.isPending} busyLabel="Adding…">
          Add division
        </Button>
      </div>
    </form>
  );
}
