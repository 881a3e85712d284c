import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, buttonClass, Card } from '../../components';
import {
  formatSummary,
  Organizers,
  SeasonForm,
  SeasonSection,
  sportName,
  useLeague,
} from '../../features/leagues';
import { Venues } from '../../features/venues';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';
import { isGone, QueryProblem } from './QueryProblem';

export function LeaguePage() {
  const { leagueId = '' } = useParams();
  const me = useOptionalUser();
  const league = useLeague(leagueId);
  const [addingSeason, setAddingSeason] = useState(false);

  if (!league.data || isGone(league.error))
    return <QueryProblem what="league" query={league} signedIn={Boolean(me)} />;
  const data = league.data;
  const isOrganizer = data.access.isOrganizer;

  return (
    <Page
      title={data.name}
      lead={`${sportName(data.sport, data.customSport)} · ${
        data.visibility === 'public' ? 'Public league' : 'Private league'
      }`}
    >
      {isOrganizer ? (
        <p>
          <Link to={`/leagues/${data.id}/edit`} className={buttonClass('secondary')}>
            Edit league
          </Link>
        </p>
      ) : null}
      <div className="grid">
        <Card title="How it is played">
          {data.description ? <p>{data.description}</p> : null}
          <ul className="checklist">
            {formatSummary(data.format).map((line) => (
              <li key={line}>{line}</li>
            ))}
            <li>
              Rosters of {data.rosterMin} to {data.rosterMax} players
            </li>
          </ul>
        </Card>
        <Card title="Organizers">
          <Organizers league={data} />
        </Card>
      </div>

      <Card title="Venues">
        <Venues leagueId={data.id} manage={isOrganizer} />
      </Card>

      {data.seasons.length === 0 ? (
        <p className="muted">No seasons yet.</p>
      ) : (
        data.seasons.map((season) => (
          <SeasonSection key={season.id} league={data} season={season} />
        ))
      )}

      {isOrganizer ? (
        <Card title="Add a season">
          {addingSeason ? (
            <SeasonForm leagueId={data.id} onSaved={() => setAddingSeason(false)} />
          ) : (
            <div>
              <Button variant="secondary" onClick={() => setAddingSeason(true)}>
                New season
              </Button>
            </div>
          )}
        </Card>
      ) : null}
      {!me ? (
        <p className="muted">
          <Link
            to={`/sign-in?${new URLSearchParams({ returnTo: `/leagues/${data.id}` }).toString()}`}
          >
            Sign in
          </Link>{' '}
          to create a team or join one.
        </p>
      ) : null}
    </Page>
  );
}
