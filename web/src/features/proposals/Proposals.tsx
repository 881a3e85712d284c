import { type Match } from '#domain/schemas/matches';
import { ProposalInput } from '#domain/schemas/proposals';
import {
  Badge,
  Banner,
  Button,
  DateField,
  FormErrorSummary,
  NeedsConnection,
  TextField,
  TimeField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { formatDate } from '../../lib/dates';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { confirmedUser, useMe } from '../auth';
import { useDecideProposal, useProposals, useProposeDate, type ProposalDecision } from './api';
import { PROPOSAL_STATUS_LABELS } from './labels';

export function Proposals({
  match,
  myTeamId,
  captain,
}: {
  match: Match;
  myTeamId: string;
  captain: boolean;
}) {
  const proposals = useProposals(match.id);
  const decide = useDecideProposal(match.id);
  const online = useIsOnline();
  const me = confirmedUser(useMe());
  const list = proposals.data ?? [];
  const open = list.some((p) => p.status === 'open');
  const changeable = match.status === 'scheduled' || match.status === 'postponed';

  function act(proposalId: string, decision: ProposalDecision) {
    decide.mutate({ proposalId, decision, idempotencyKey: newIdempotencyKey() });
  }

  return (
    <section className="team-sheet__proposals" aria-label="Date proposals">
      <h3 className="team-sheet__title">Date proposals</h3>
      {proposals.isError ? <Banner tone="error">{describeError(proposals.error)}</Banner> : null}
      {decide.isError ? <Banner tone="error">{describeError(decide.error)}</Banner> : null}
      {list.length === 0 ? (
        <p className="muted">No other dates proposed.</p>
      ) : (
        <ul className="team-sheet__proposal-list" aria-label="Proposed dates">
          {list.map((p) => {
            const mine = p.teamId === myTeamId;
            // Proposals name their maker, not their id: the server has the last word on withdraw.
            const madeByMe =
              mine && (p.proposedBy === null || p.proposedBy === me?.profile?.displayName);
            const what = `${formatDate(p.date)} at ${p.startTime}`;
            return (
              <li key={p.id}>
                <strong>{what}</strong> <Badge>{PROPOSAL_STATUS_LABELS[p.status]}</Badge>
                {p.proposedBy ? ` · by ${p.proposedBy}` : ''}
                {p.message ? <p>{p.message}</p> : null}
                {p.status === 'open' && captain && (madeByMe || !mine) ? (
                  <div className="button-row">
                    {mine ? (
                      <Button
                        variant="secondary"
                        disabled={!online}
                        aria-label={`Withdraw the proposal of ${what}`}
                        onClick={() => act(p.id, 'withdraw')}
                      >
                        Withdraw
                      </Button>
                    ) : (
                      <>
                        <Button
                          disabled={!online}
                          aria-label={`Accept ${what}`}
                          onClick={() => act(p.id, 'accept')}
                        >
                          Accept
                        </Button>
                        <Button
                          variant="secondary"
                          disabled={!online}
                          aria-label={`Decline ${what}`}
                          onClick={() => act(p.id, 'decline')}
                        >
                          Decline
                        </Button>
                      </>
                    )}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {captain && changeable && !open && me ? <ProposeForm match={match} /> : null}
      {captain ? (
        <NeedsConnection online={online}>
          Proposing, accepting or declining a date needs a connection: the other team is told at
          once.
        </NeedsConnection>
      ) : null}
    </section>
  );
}

/** What a proposal sends: an empty message is none. */
function proposalInput(values: { date: string; startTime: string; message: string }) {
  const { date, startTime, message } = values;
  return { date, startTime, message: message.trim() === '' ? null : message };
}

function ProposeForm({ match }: { match: Match }) {
  const ids = {
    date: `propose-date-${match.id}`,
    startTime: `propose-time-${match.id}`,
    message: `propose-message-${match.id}`,
  };
  const { form, summary, field, showProblem, onSubmit } = useSchemaForm({
    schema: ProposalInput,
    defaultValues: { date: '', startTime: match.startTime, message: '' },
    toInput: proposalInput,
    locate: (field) => {
      if (field === 'date') return { targetId: ids.date, label: 'Proposed date' };
      if (field === 'startTime') return { targetId: ids.startTime, label: 'Start time' };
      if (field === 'message') return { targetId: ids.message, label: 'Message' };
      return null;
    },
  });
  const propose = useProposeDate(match.id);
  const online = useIsOnline();

  const send = () =>
    propose.mutate(
      { ...proposalInput(form.getValues()), idempotencyKey: newIdempotencyKey() },
      { onError: showProblem },
    );

  return (
    <form
      className="form"
      noValidate
      onSubmit={onSubmit(send, propose.reset)}
      aria-label="Propose another date"
    >
      <h4 className="team-sheet__subtitle">Propose another date</h4>
      <FormErrorSummary {...summary} />
      {propose.isError && !problemFieldErrors(propose.error) ? (
        <Banner tone="error">{describeError(propose.error)}</Banner>
      ) : null}
      <DateField label="Proposed date" {...field('date', ids.date)} />
      <TimeField label="Start time" {...field('startTime', ids.startTime)} />
      <TextField
        label="Message"
        hint="Optional, shown to the other team"
        {...field('message', ids.message)}
      />
      <div className="form__actions">
        <Button type="submit" busy={propose.isPending} busyLabel="Proposing…" disabled={!online}>
          Propose the date
        </Button>
      </div>
    </form>
  );
}
