import { Link, useNavigate, useParams } from 'react-router';
import { Banner, Card } from '../../components';
import { DeleteLeague, LeagueForm, useLeague } from '../../features/leagues';
import { Page } from '../Page';
import { isGone, QueryProblem } from './QueryProblem';

export function EditLeaguePage() {
  const { leagueId = '' } = useParams();
  const navigate = useNavigate();
  const league = useLeague(leagueId);
  if (!league.data || isGone(league.error))
    return <QueryProblem what="league" query={league} signedIn />;
  const back = `/leagues/${league.data.id}`;
  return (
    <Page
      title={`Edit ${league.data.name}`}
      lead={<Link to={back}>Back to the league</Link>}
      narrow
    >
      {league.data.access.isOrganizer ? (
        <>
          <LeagueForm
            league={league.data}
            submitLabel="Save league"
            onSaved={() => void navigate(back)}
          />
          <Card title="Delete the league">
            <DeleteLeague league={league.data} onDeleted={() => void navigate('/leagues')} />
          </Card>
        </>
      ) : (
        <Banner tone="info">Only this league's organizers can change it.</Banner>
      )}
    </Page>
  );
}
