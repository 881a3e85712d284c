import { Link } from 'react-router';
import { Banner, Button, buttonClass, Loading } from '../../components';
import { LeagueList, useLeagues } from '../../features/leagues';
import { describeError } from '../../lib/forms';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';

export function LeaguesPage() {
  const me = useOptionalUser();
  const leagues = useLeagues();
  return (
    <Page
      title="Leagues"
      lead={
        me
          ? 'Public leagues, and the private ones you organize or play in.'
          : 'Public leagues. Sign in to see the private leagues you take part in.'
      }
    >
      {me?.role === 'organizer' ? (
        <p>
          <Link to="/leagues/new" className={buttonClass('primary')}>
            Create a league
          </Link>
        </p>
      ) : null}
      {leagues.data ? (
        leagues.data.length > 0 ? (
          <LeagueList leagues={leagues.data} />
        ) : (
          <p className="muted">There are no leagues to show yet.</p>
        )
      ) : leagues.isError ? (
        <Banner
          tone="error"
          title="Leagues could not be loaded"
          actions={
            <Button variant="secondary" onClick={() => void leagues.refetch()}>
              Try again
            </Button>
          }
        >
          {describeError(leagues.error)}
        </Banner>
      ) : leagues.fetchStatus === 'paused' ? (
        <Banner tone="warning" title="You are offline">
          The leagues will appear when you are back online.
        </Banner>
      ) : (
        <Loading />
      )}
    </Page>
  );
}
