import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Banner, Button, Card, Loading } from '../../components';
import { levelBand, useLeague } from '../../features/leagues';
import { ScheduleBuilder, ScheduleByRound, useDivisionMatches } from '../../features/schedule';
import { StandingsTable, useStandings } from '../../features/standings';
import { useVenues } from '../../features/venues';
import { DivisionTeamList, TeamForm, useDivisionTeams } from '../../features/teams';
import { formatDate } from '../../lib/dates';
import { describeError } from '../../lib/forms';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';
import { isGone, QueryProblem } from './QueryProblem';

export function DivisionPage() {
  const { leagueId = '', divisionId = '' } = useParams();
  const me = useOptionalUser();
  const navigate = useNavigate();
  const league = useLeague(leagueId);
  const teams = useDivisionTeams(divisionId);
  const [creating, setCreating] = useState(false);
  const matches = useDivisionMatches(divisionId);
  const venues = useVenues(leagueId);
  const standings = useStandings(divisionId);
  const [building, setBuilding] = useState(false);

  if (!league.data || isGone(league.error))
    return <QueryProblem what="league" query={league} signedIn={Boolean(me)} />;
  const season = league.data.seasons.find((s) => s.divisions.some((d) => d.id === divisionId));
  const division = season?.divisions.find((d) => d.id === divisionId);
  if (!season || !division) {
    return (
      <Page title="No such division" narrow>
        <p>
          This division is not part of{' '}
          <Link to={`/leagues/${league.data.id}`}>{league.data.name}</Link>. It may have been
          deleted.
        </p>
      </Page>
    );
  }

  const isOrganizer = league.data.access.isOrganizer;
  const mayCreate =
    Boolean(me) &&
    (isOrganizer ||
      ((me?.role === 'captain' || me?.role === 'organizer') && season.registrationOpen));
  const band = levelBand(division.levelMin, division.levelMax);

  return (
    <Page
      title={`${division.name} · ${league.data.name}`}
      heading={division.name}
      eyebrow={`${league.data.name} · ${season.name}`}
      lead={
        <>
          <Link to={`/leagues/${league.data.id}`}>{league.data.name}</Link> ·{' '}
          {formatDate(season.startsOn)} to {formatDate(season.endsOn)}
          {band ? ` · ${band}` : ''}
        </>
      }
    >
      <Card title="Teams">
        {teams.data ? (
          teams.data.length > 0 ? (
            <DivisionTeamList teams={teams.data} />
          ) : (
            <p className="muted">No teams yet.</p>
          )
        ) : teams.isError ? (
          <Banner
            tone="error"
            actions={
              <Button variant="secondary" onClick={() => void teams.refetch()}>
                Try again
              </Button>
            }
          >
            {describeError(teams.error)}
          </Banner>
        ) : teams.fetchStatus === 'paused' ? (
          <p className="muted">The teams will appear when you are back online.</p>
        ) : (
          <Loading label="Loading teams…" />
        )}
      </Card>

      <Card title="Standings">
        {standings.data ? (
          <StandingsTable standings={standings.data} caption={`Standings of ${division.name}`} />
        ) : standings.isError ? (
          <Banner tone="error">{describeError(standings.error)}</Banner>
        ) : standings.fetchStatus === 'paused' ? (
          <p className="muted">The standings will appear when you are back online.</p>
        ) : (
          <Loading label="Loading the standings…" />
        )}
      </Card>

      <Card title="Schedule">
        {matches.data ? (
          matches.data.length > 0 ? (
            <ScheduleByRound matches={matches.data} manage={isOrganizer} />
          ) : (
            <p className="muted">No schedule yet.</p>
          )
        ) : matches.isError ? (
          <Banner tone="error">{describeError(matches.error)}</Banner>
        ) : matches.fetchStatus === 'paused' ? (
          <p className="muted">The schedule will appear when you are back online.</p>
        ) : (
          <Loading label="Loading the schedule…" />
        )}
      </Card>

      {isOrganizer ? (
        <Card title="Build the schedule">
          {building && teams.data && venues.data ? (
            <ScheduleBuilder
              divisionId={division.id}
              teams={teams.data.filter((t) => !t.archived)}
              venues={venues.data}
            />
          ) : (
            <div className="stack stack--tight">
              <p>
                Pick match days, start times and each team&apos;s home venue, review a draft, then
                publish it. Unplayed matches are replaced when you publish again.
              </p>
              <div>
                <Button
                  variant="secondary"
                  disabled={!teams.data || !venues.data}
                  onClick={() => setBuilding(true)}
                >
                  Build the schedule
                </Button>
              </div>
            </div>
          )}
        </Card>
      ) : null}

      {mayCreate ? (
        <Card title="Create a team">
          {creating ? (
            <TeamForm
              mode="create"
              divisionId={division.id}
              onSaved={(team) => void navigate(`/teams/${team.id}`)}
            />
          ) : (
            <div className="stack stack--tight">
              <p>You will be its captain, and can invite players once it exists.</p>
              <div>
                <Button onClick={() => setCreating(true)}>New team</Button>
              </div>
            </div>
          )}
        </Card>
      ) : me && !season.registrationOpen ? (
        <p className="muted">Registration for {season.name} is closed: no new teams for now.</p>
      ) : !me ? (
        <p className="muted">
          <Link
            to={`/sign-in?${new URLSearchParams({
              returnTo: `/leagues/${league.data.id}/divisions/${division.id}`,
            }).toString()}`}
          >
            Sign in
          </Link>{' '}
          to create a team.
        </p>
      ) : null}
    </Page>
  );
}
