import { Link, useLocation } from 'react-router';
import { Banner, Button, buttonClass, Loading } from '../../components';
import { isApiError } from '../../lib/api';
import { describeError } from '../../lib/forms';
import { Page } from '../Page';

export interface QueryProblemProps {
  /** What was being loaded, e.g. "league"; used in the title and messages. */
  what: string;
  query: { error: unknown; isError: boolean; fetchStatus: string; refetch: () => unknown };
  /** Whether someone is signed in: a 404 may only mean "sign in to see it". */
  signedIn: boolean;
  /** Replaces the default "does not exist, or is private" explanation of a 404. */
  notFound?: string;
}

/**
 * True when the server says the page's subject is gone: then `QueryProblem` is shown even if a
 * copy is cached, because a copy restored from IndexedDB can outlive a deleted team.
 */
export function isGone(error: unknown): boolean {
  return isApiError(error, 404);
}

/**
 * The page shown while a page's main data is missing: loading, offline, not found (perhaps only
 * to the signed-out), or failed.
 */
export function QueryProblem({ what, query, signedIn, notFound }: QueryProblemProps) {
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  if (notFound && isApiError(query.error, 404)) {
    return (
      <Page title={`No such ${what}`} narrow>
        <p>{notFound}</p>
      </Page>
    );
  }
  if (isApiError(query.error, 404) || isApiError(query.error, 401)) {
    return (
      <Page title={`No such ${what}`} narrow>
        <p>
          This {what} does not exist, or it is private
          {signedIn ? ' and you are not part of it.' : '.'}
        </p>
        {signedIn ? (
          <p>
            <Link to="/leagues">See the leagues you can open</Link>
          </p>
        ) : (
          <p>
            <Link
              to={`/sign-in?${new URLSearchParams({ returnTo: here }).toString()}`}
              className={buttonClass('primary')}
            >
              Sign in to see it
            </Link>
          </p>
        )}
      </Page>
    );
  }
  if (query.isError) {
    return (
      <Page title={`This ${what} could not be loaded`} narrow>
        <Banner
          tone="error"
          actions={
            <Button variant="secondary" onClick={() => void query.refetch()}>
              Try again
            </Button>
          }
        >
          {describeError(query.error)}
        </Banner>
      </Page>
    );
  }
  if (query.fetchStatus === 'paused') {
    return (
      <Page title="You are offline" narrow>
        <p>
          This {what} has not been loaded on this device yet. It will appear when you are back
          online.
        </p>
      </Page>
    );
  }
  return <Loading />;
}
