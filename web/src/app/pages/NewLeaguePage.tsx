import { Link, useNavigate } from 'react-router';
import { Banner } from '../../components';
import { LeagueForm } from '../../features/leagues';
import { useSignedInUser } from '../guards';
import { Page } from '../Page';

export function NewLeaguePage() {
  const me = useSignedInUser();
  const navigate = useNavigate();
  return (
    <Page title="Create a league" lead={<Link to="/leagues">Back to leagues</Link>} narrow>
      {me.role === 'organizer' ? (
        <LeagueForm
          submitLabel="Create league"
          onSaved={(league) => void navigate(`/leagues/${league.id}`)}
        />
      ) : (
        <Banner tone="info" title="Only league organizers create leagues">
          <p>
            If you run a league, choose the organizer role on{' '}
            <Link to="/profile">your profile</Link>.
          </p>
        </Banner>
      )}
    </Page>
  );
}
