import { useState } from 'react';
import { Link } from 'react-router';
import { todayIn } from '#domain/rules/dates';
import { MatchCancel, MatchPostpone, type Match } from '#domain/schemas/matches';
import { type MyMatch } from '#domain/schemas/schedule';
import {
  Banner,
  Button,
  DateField,
  Dialog,
  FormErrorSummary,
  Loading,
  NeedsConnection,
  TextField,
  TimeField,
} from '../../components';
import { newIdempotencyKey } from '../../lib/api';
import { formatInstant } from '../../lib/dates';
import { describeError, problemFieldErrors } from '../../lib/forms';
import { useIsOnline } from '../../lib/online';
import { useSchemaForm } from '../../lib/schemaForm';
import { AvailabilityChoice, TeamSheet } from '../availability';
import { RESULT_STATUS_LABELS, scoreText } from '../results';
import { useCancelMatch, useMatchHistory, usePostponeMatch } from './api';
import { formatMatchDate, matchTitle, STATUS_LABELS } from './labels';

export interface MatchListProps {
  /** My schedule's matches carry my availability answer. */
  matches: readonly (Match | MyMatch)[];
  /** The list's accessible name, e.g. "Upcoming matches". */
  label: string;
  /** Organizers of these matches' league get Postpone and Cancel. */
  manage?: boolean;
  /** Show the league and division of each match (views across leagues). */
  showLeague?: boolean;
  /** Link team names to their pages. */
  linkTeams?: boolean;
  /** Say the round of each match (not when the list is one round). */
  showRound?: boolean;
  /** The user's own matches: "Can you play?" on upcoming ones and the team sheet. */
  forPlayer?: boolean;
}

/** Matches by date: date, time, teams, venue, and a visible marker when cancelled or moved. */
export function MatchList({
  matches,
  label,
  manage = false,
  showLeague = false,
  linkTeams = true,
  showRound = true,
  forPlayer = false,
}: MatchListProps) {
  // One pair of dialogs for the whole list, for the match being changed.
  const [action, setAction] = useState<{ kind: 'postpone' | 'cancel'; match: Match } | null>(null);
  const close = () => setAction(null);
  return (
    <>
      <ul className="match-list" aria-label={label}>
        {matches.map((match) => (
          <MatchRow
            key={match.id}
            match={match}
            manage={manage}
            showLeague={showLeague}
            linkTeams={linkTeams}
            showRound={showRound}
            forPlayer={forPlayer}
            onAction={(kind) => setAction({ kind, match })}
          />
        ))}
      </ul>
      {manage ? (
        <>
          <Dialog
            open={action?.kind === 'postpone'}
            title={action ? `Postpone ${matchTitle(action.match)}` : 'Postpone'}
            onClose={close}
          >
            {action ? <PostponeForm match={action.match} onDone={close} /> : null}
          </Dialog>
          <Dialog
            open={action?.kind === 'cancel'}
            title={action ? `Cancel ${matchTitle(action.match)}` : 'Cancel'}
            onClose={close}
          >
            {action ? <CancelForm match={action.match} onDone={close} /> : null}
          </Dialog>
        </>
      ) : null}
    </>
  );
}

/** The team match's score in lines, home first, and whether it is final yet. */
function ResultSummary({ match }: { match: Match }) {
  const result = match.result;
  if (!result) return null;
  return (
    <span className="match__result">
      {' '}
      · <strong>{scoreText(result)}</strong>
      {result.status === 'final' ? '' : ` (${RESULT_STATUS_LABELS[result.status].toLowerCase()})`}
    </span>
  );
}

function TeamName({ team, link }: { team: Match['homeTeam']; link: boolean }) {
  return link ? <Link to={`/teams/${team.id}`}>{team.name}</Link> : <>{team.name}</>;
}

function MatchRow({
  match,
  manage,
  showLeague,
  linkTeams,
  showRound,
  forPlayer,
  onAction,
}: {
  match: Match | MyMatch;
  manage: boolean;
  showLeague: boolean;
  linkTeams: boolean;
  showRound: boolean;
  forPlayer: boolean;
  onAction: (kind: 'postpone' | 'cancel') => void;
}) {
  const [historyOpen, setHistoryOpen] = useState(false);
  const [sheetOpen, setSheetOpen] = useState(false);
  const online = useIsOnline();
  const cancelled = match.status === 'cancelled';
  // The match's day by its league's clock, as the server counts it.
  const today = todayIn(match.timeZone);
  const changeable = manage && (match.status === 'scheduled' || match.status === 'postponed');
  return (
    <li className={`match match--${match.status}`}>
      <div className="match__when">
        <span className={cancelled ? 'match__date match__date--struck' : 'match__date'}>
          {formatMatchDate(match.date)} · {match.startTime}
        </span>
        {match.status !== 'scheduled' ? (
          <span className={`match__status match__status--${match.status}`}>
            {STATUS_LABELS[match.status]}
          </span>
        ) : null}
      </div>
      <p className="match__teams">
        <TeamName team={match.homeTeam} link={linkTeams} /> vs{' '}
        <TeamName team={match.awayTeam} link={linkTeams} />
        {match.result ? <ResultSummary match={match} /> : null}
      </p>
      <p className="match__meta">
        {match.venue ? match.venue.name : 'Venue to be confirmed'}
        {showRound && match.round !== null ? ` · Round ${match.round}` : ''}
        {showLeague ? ` · ${match.leagueName}, ${match.divisionName}` : ''}
      </p>
      <p className="match__page-link">
        <Link to={`/matches/${match.id}`}>
          {match.status === 'played' || match.date < today ? 'Result' : 'Match page'}
          <span className="visually-hidden">
            {' '}
            of {matchTitle(match)}, {formatMatchDate(match.date)}
          </span>
        </Link>
      </p>
      {cancelled ? (
        <p className="match__note">
          Cancelled{match.cancelReason ? `: ${match.cancelReason}` : ''}
        </p>
      ) : match.status === 'postponed' ? (
        <p className="match__note">Moved to a new date.</p>
      ) : null}
      {forPlayer && !cancelled && match.status !== 'played' && match.date >= today ? (
        <AvailabilityChoice
          matchId={match.id}
          title={matchTitle(match)}
          answer={'myAvailability' in match ? match.myAvailability : undefined}
        />
      ) : null}
      {forPlayer ? (
        <details className="match__history" onToggle={(e) => setSheetOpen(e.currentTarget.open)}>
          <summary>Team sheet</summary>
          {sheetOpen ? <TeamSheet match={match} /> : null}
        </details>
      ) : null}
      <details className="match__history" onToggle={(e) => setHistoryOpen(e.currentTarget.open)}>
        <summary>History</summary>
        {historyOpen ? <MatchHistory matchId={match.id} /> : null}
      </details>
      {changeable ? (
        <div className="button-row">
          <Button
            variant="secondary"
            disabled={!online}
            aria-label={`Postpone ${matchTitle(match)}`}
            onClick={() => onAction('postpone')}
          >
            Postpone
          </Button>
          <Button
            variant="secondary"
            disabled={!online}
            aria-label={`Cancel ${matchTitle(match)}`}
            onClick={() => onAction('cancel')}
          >
            Cancel match
          </Button>
          <NeedsConnection online={online}>
            Moving or cancelling a match needs a connection: the teams are told at once.
          </NeedsConnection>
        </div>
      ) : null}
    </li>
  );
}

const KIND_LABELS: Record<string, string> = {
  created: 'Scheduled',
  updated: 'Changed',
  postponed: 'Moved',
  cancelled: 'Cancelled',
};

function describeDetails(kind: string, details: Record<string, unknown>): string {
  if (kind === 'cancelled' && typeof details.reason === 'string') return details.reason;
  const to = details.to as { date?: string; startTime?: string } | undefined;
  if (kind === 'postponed' && to?.date)
    return `to ${formatMatchDate(to.date)}${to.startTime ? ` at ${to.startTime}` : ''}`;
  return '';
}

function MatchHistory({ matchId }: { matchId: string }) {
  const history = useMatchHistory(matchId, true);
  if (history.isError) return <Banner tone="error">{describeError(history.error)}</Banner>;
  if (!history.data) return <Loading label="Loading the history…" />;
  if (history.data.length === 0) return <p className="muted">No changes yet.</p>;
  return (
    <ol className="match__events">
      {history.data.map((event, i) => {
        const details = describeDetails(event.kind, event.details);
        return (
          <li key={`${event.at}-${i}`}>
            <strong>{KIND_LABELS[event.kind] ?? event.kind}</strong>
            {details ? ` ${details}` : ''} · {event.actor ?? 'Rally Connect'},{' '}
            <time dateTime={event.at}>{formatInstant(event.at)}</time>
          </li>
        );
      })}
    </ol>
  );
}

function PostponeForm({ match, onDone }: { match: Match; onDone: () => void }) {
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

function CancelForm({ match, onDone }: { match: Match; onDone: () => void }) {
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
