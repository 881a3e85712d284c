import { Navigate, useSearchParams } from 'react-router';
import { Banner, Button, Loading } from '../../components';
import {
  confirmedUser,
  signInErrorMessage,
  SignInOptions,
  useAuthConfig,
  useMe,
} from '../../features/auth';
import { describeError } from '../../lib/forms';
import { safeReturnTo } from '../../lib/returnTo';
import { Page } from '../Page';

export function SignInPage() {
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const problem = signInErrorMessage(params.get('error'));
  const me = useMe();
  const config = useAuthConfig();

  if (confirmedUser(me)) return <Navigate to={returnTo} replace />;

  return (
    <Page
      title="Sign in"
      heading="Sign in to Rally Connect"
      lead="Seasons, teams, schedules, scores and ratings for your racket-sport league — on the court, even with no signal."
      narrow
    >
      <div className="stack">
        {problem ? (
          <Banner tone="error" title="You are not signed in">
            {problem}
          </Banner>
        ) : null}
        {config.data ? (
          <SignInOptions config={config.data} returnTo={returnTo} />
        ) : config.isError ? (
          <Banner
            tone="error"
            title="Sign-in options could not be loaded"
            actions={
              <Button variant="secondary" onClick={() => void config.refetch()}>
                Try again
              </Button>
            }
          >
            {describeError(config.error)}
          </Banner>
        ) : config.fetchStatus === 'paused' ? (
          <Banner tone="warning" title="You are offline">
            Signing in needs a connection. The sign-in options will appear as soon as you are back
            online.
          </Banner>
        ) : (
          <Loading label="Loading sign-in options…" />
        )}
      </div>
    </Page>
  );
}
