import { useState } from 'react';
import { Link } from 'react-router';
import { todayIn } from '#domain/rules/dates';
import { type Match } from '#domain/schemas/matches';
import { type MyMatch } from '#domain/schemas/schedule';
import { Button, Dialog, NeedsConnection } from '../../components';
import { useIsOnline } from '../../lib/online';
import { AvailabilityChoice, TeamSheet } from '../availability';
import {
  CancelForm,
  formatMatchDate,
  MatchHistory,
  matchTitle,
  PostponeForm,
  STATUS_LABELS,
} from '../matches';
import { RESULT_STATUS_LABELS, scoreText } from '../results';

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
