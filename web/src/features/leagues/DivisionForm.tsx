import { DivisionInput } from '#domain/schemas/leagues';
import { Banner, Button, FormErrorSummary, OfflineNotice, TextField } from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors, type FieldTarget } from '../../lib/forms';
import { useSchemaForm } from '../../lib/schemaForm';
import { useCreateDivision } from './api';

/** An optional level: empty is no bound; anything else must be a number. */
function toLevel(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

interface Values {
  name: string;
  levelMin: string;
  levelMax: string;
}

const toInput = ({ name, levelMin, levelMax }: Values) => ({
  name,
  levelMin: toLevel(levelMin),
  levelMax: toLevel(levelMax),
});

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
  function locate(field: string): FieldTarget | null {
    if (field === 'name') return { targetId: ids.name, label: 'Division name' };
    if (field === 'levelMin')
      return { targetId: ids.levelMin, label: 'Lowest level', message: 'A level from 0 to 10' };
    if (field === 'levelMax') return { targetId: ids.levelMax, label: 'Highest level' };
    return null;
  }
  const { form, summary, field, showProblem, onSubmit } = useSchemaForm({
    schema: DivisionInput,
    defaultValues: { name: '', levelMin: '', levelMax: '' } satisfies Values,
    toInput,
    locate,
  });
  const create = useCreateDivision(leagueId);

  const send = (input: DivisionInput) =>
    create.mutate(
      { seasonId, input, idempotencyKey: newIdempotencyKey() },
      {
        onSuccess: () => {
          form.reset();
          onSaved?.();
        },
        onError: showProblem,
      },
    );

  return (
    <form className="form" noValidate onSubmit={onSubmit(send, create.reset)}>
      <FormErrorSummary {...summary} />
      <OfflineNotice paused={create.isPaused}>
        The division will be added when the connection is back.
      </OfflineNotice>
      {create.isError && !problemFieldErrors(create.error) ? (
        <Banner tone="error">{describeError(create.error)}</Banner>
      ) : null}
      <TextField label="Division name" hint="For example: 3.5 Women" {...field('name', ids.name)} />
      <div className="field-row">
        <TextField
          label="Lowest level"
          labelSuffix="(optional)"
          inputMode="decimal"
          {...field('levelMin', ids.levelMin)}
        />
        <TextField
          label="Highest level"
          labelSuffix="(optional)"
          inputMode="decimal"
          {...field('levelMax', ids.levelMax)}
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
