import { Banner, Loading } from '../../components';
import { formatInstant } from '../../lib/dates';
import { describeError } from '../../lib/forms';
import { useMatchHistory } from './api';
import { formatMatchDate } from './labels';

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

export function MatchHistory({ matchId }: { matchId: string }) {
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
