import { todayIn } from '#domain/rules/dates';
import { Link, useParams } from 'react-router';
import type { Match } from '#domain/schemas/matches';
import { Banner, Card, Loading } from '../../components';
import { AvailabilityChoice, TeamSheet } from '../../features/availability';
import { divisionPath } from '../../features/leagues';
import {
  formatMatchDate,
  matchTitle,
  STATUS_LABELS,
  useMatchContext,
} from '../../features/matches';
import { ResultHistory, ResultPanel, useMatchResult } from '../../features/results';
import { useMyTeams } from '../../features/teams';
import { describeError } from '../../lib/forms';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';
import { isGone, QueryProblem } from './QueryProblem';

/** Today in UTC, as the server decides whether a match may take a result. */

/**
 * One team match: when and where, the team sheet for the players of either team while it is still
 * to be played, its result line by line, what the user may do with the result now (enter,
 * confirm, dispute, settle, correct) and the result's history.
 */
export function MatchPage() {
  const { matchId = '' } = useParams();
  const me = useOptionalUser();
  const { match, league } = useMatchContext(matchId);
  const result = useMatchResult(matchId);

  if (!match.data || isGone(match.error))
    return <QueryProblem what="match" query={match} signedIn={Boolean(me)} />;
  const m = match.data;
  // Answers, lineups and new dates are taken until the match is played or cancelled.
  const open = m.status !== 'played' && m.status !== 'cancelled';

  return (
    <Page
      title={matchTitle(m)}
      eyebrow={`${m.leagueName} · ${m.divisionName}`}
      lead={
        <>
          {formatMatchDate(m.date)} · {m.startTime} ·{' '}
          {m.venue ? m.venue.name : 'Venue to be confirmed'} · {STATUS_LABELS[m.status]}
          {m.round !== null ? ` · Round ${m.round}` : ''}
          {' · '}
          <Link to={divisionPath(m.leagueId, m.divisionId)}>{m.divisionName}</Link>
        </>
      }
    >
      <p className="match-page__teams">
        <Link to={`/teams/${m.homeTeam.id}`}>{m.homeTeam.name}</Link> (home) vs{' '}
        <Link to={`/teams/${m.awayTeam.id}`}>{m.awayTeam.name}</Link> (away)
      </p>
      {m.status === 'cancelled' ? (
        <Banner tone="warning" title="This match was cancelled">
          {m.cancelReason ?? 'It will not be played.'}
        </Banner>
      ) : null}
      {me && open ? <MatchTeamSheet match={m} /> : null}
      <Card title="Result">
        {result.data && league.data ? (
          <ResultPanel
            result={result.data}
            format={league.data.format}
            upcoming={m.date > todayIn(m.timeZone)}
          />
        ) : result.isError || league.isError ? (
          <Banner tone="error">{describeError(result.error ?? league.error)}</Banner>
        ) : result.fetchStatus === 'paused' || league.fetchStatus === 'paused' ? (
          <p className="muted">The result will appear when you are back online.</p>
        ) : (
          <Loading label="Loading the result…" />
        )}
      </Card>
      {result.data ? (
        <Card title="History of the result">
          <ResultHistory result={result.data} />
        </Card>
      ) : null}
    </Page>
  );
}

/**
 * "Can you play?" and the team sheet (availability grid, the captains' lineup editor, date
 * proposals), for a member of either team; nothing for anyone else (organizers included: the
 * sheet is a team's own).
 */
function MatchTeamSheet({ match }: { match: Match }) {
  const teams = useMyTeams();
  const member = teams.data?.some((t) => t.id === match.homeTeam.id || t.id === match.awayTeam.id);
  if (!member) return null;
  return (
    <Card title="Team sheet">
      <AvailabilityChoice matchId={match.id} title={matchTitle(match)} />
      <TeamSheet match={match} />
    </Card>
  );
}
