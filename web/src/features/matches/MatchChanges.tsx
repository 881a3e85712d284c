import { MatchCancel, MatchPostpone, type Match } from '#domain/schemas/matches';
import {
  Banner,
  Button,
  DateField,
  FormErrorSummary,
  NeedsConnection,
  TextField,
  TimeField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { useCancelMatch, usePostponeMatch } from './api';

export function PostponeForm({ match, onDone }: { match: Match; onDone: () => void }) {
  const ids = { date: `postpone-date-${match.id}`, startTime: `postpone-time-${match.id}` };
  const { form, summary, field, showProblem, onSubmit } = useSchemaForm({
    schema: MatchPostpone,
    defaultValues: { date: match.date, startTime: match.startTime },
    toInput: (values) => values,
    locate: (field) => {
      if (field === 'date') return { targetId: ids.date, label: 'New date' };
      if (field === 'startTime') return { targetId: ids.startTime, label: 'Start time' };
      return null;
    },
  });
  const postpone = usePostponeMatch();
  const online = useIsOnline();

  function send() {
    const { date, startTime } = form.getValues();
    postpone.mutate(
      { matchId: match.id, date, startTime, idempotencyKey: newIdempotencyKey() },
      { onSuccess: onDone, onError: showProblem },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit(send, postpone.reset)}>
      <FormErrorSummary {...summary} />
      {postpone.isError && !problemFieldErrors(postpone.error) ? (
        <Banner tone="error">{describeError(postpone.error)}</Banner>
      ) : null}
      <p>Both teams see the new date, and their calendars update.</p>
      <DateField label="New date" {...field('date', ids.date)} />
      <TimeField label="Start time" {...field('startTime', ids.startTime)} />
      <NeedsConnection online={online}>Moving a match needs a connection.</NeedsConnection>
      <div className="form__actions">
        <Button type="submit" busy={postpone.isPending} busyLabel="Moving…" disabled={!online}>
          Move the match
        </Button>
        <Button variant="quiet" onClick={onDone}>
          Keep the date
        </Button>
      </div>
    </form>
  );
}

export function CancelForm({ match, onDone }: { match: Match; onDone: () => void }) {
  const id = `cancel-reason-${match.id}`;
  const { summary, field, showProblem, onSubmit } = useSchemaForm({
    schema: MatchCancel,
    defaultValues: { reason: '' },
    toInput: (values) => values,
    locate: (field) => (field === 'reason' ? { targetId: id, label: 'Reason' } : null),
  });
  const cancel = useCancelMatch();
  const online = useIsOnline();

  const send = ({ reason }: { reason: string }) =>
    cancel.mutate(
      { matchId: match.id, reason, idempotencyKey: newIdempotencyKey() },
      { onSuccess: onDone, onError: showProblem },
    );

  return (
    <form className="form" noValidate onSubmit={onSubmit(send, cancel.reset)}>
      <FormErrorSummary {...summary} />
      {cancel.isError && !problemFieldErrors(cancel.error) ? (
        <Banner tone="error">{describeError(cancel.error)}</Banner>
      ) : null}
      <p>The match stays in the schedule, marked cancelled with your reason.</p>
      <TextField
        label="Reason"
        hint="Shown to both teams, e.g. Courts flooded"
        {...field('reason', id)}
      />
      <NeedsConnection online={online}>Cancelling a match needs a connection.</NeedsConnection>
      <div className="form__actions">
        <Button type="submit" busy={cancel.isPending} busyLabel="Cancelling…" disabled={!online}>
          Cancel the match
        </Button>
        <Button variant="quiet" onClick={onDone}>
          Keep the match
        </Button>
      </div>
    </form>
  );
}
