import { useDeferredValue } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Banner, Button, buttonClass, Loading, TextField } from '../../components';
import { LeagueList, useLeaguePages } from '../../features/leagues';
import { describeError } from '../../lib/forms';
import { useOptionalUser } from '../guards';
import { Page } from '../Page';

export function LeaguesPage() {
  const me = useOptionalUser();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  // Typing stays responsive: the list follows the text once React has time for it.
  const search = useDeferredValue(q.trim());
  const leagues = useLeaguePages(search);
  const shown = leagues.data?.pages.flatMap((page) => page.body);

  function setQ(value: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set('q', value);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }

  return (
    <Page
      title="Leagues"
      lead={
        me
          ? 'Your leagues first, then the public ones, and the private ones you organize or play in.'
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
      <form role="search" aria-label="Leagues" onSubmit={(e) => e.preventDefault()}>
        <TextField
          id="leagues-q"
          label="Search leagues"
          type="search"
          maxLength={100}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </form>
      {shown ? (
        shown.length > 0 ? (
          <>
            <LeagueList leagues={shown} />
            {leagues.hasNextPage ? (
              <p>
                <Button
                  variant="secondary"
                  disabled={leagues.isFetchingNextPage}
                  onClick={() => void leagues.fetchNextPage()}
                >
                  {leagues.isFetchingNextPage ? 'Loading more leagues…' : 'More leagues'}
                </Button>
              </p>
            ) : null}
            {leagues.isFetchNextPageError ? (
              <Banner tone="error" title="More leagues could not be loaded">
                {describeError(leagues.error)}
              </Banner>
            ) : null}
          </>
        ) : search ? (
          <p className="muted">No league&apos;s name contains “{search}”.</p>
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
