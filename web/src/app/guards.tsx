import { Navigate, Outlet, useLocation, useOutletContext } from 'react-router';
import type { Me } from '../../../domain/schemas/profile';
import { Banner, Button, Loading } from '../components';
import { confirmedUser, isSignedOut, useMe } from '../features/auth';
import { describeError } from '../lib/forms';
import { onboardingRedirect } from './onboardingRedirect';

/** Routes under this one need a session; pages read the user with `useSignedInUser()`. */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();

  if (isSignedOut(me.error)) {
    const returnTo = `${location.pathname}${location.search}${location.hash}`;
    const query = returnTo === '/' ? '' : `?${new URLSearchParams({ returnTo }).toString()}`;
    return <Navigate to={`/sign-in${query}`} replace />;
  }
  const user = confirmedUser(me);
  if (user) {
    const target = onboardingRedirect(user.onboarding, location.pathname);
    if (target) return <Navigate to={target} replace />;
    return <Outlet context={user} />;
  }
  if (me.isError && !me.data) {
    return (
      <div className="page page--narrow">
        <Banner
          tone="error"
          title="Rally Connect could not load your account"
          actions={
            <Button variant="secondary" onClick={() => void me.refetch()}>
              Try again
            </Button>
          }
        >
          {describeError(me.error)}
        </Banner>
      </div>
    );
  }
  if (me.fetchStatus === 'paused') {
    return (
      <div className="page page--narrow">
        <Banner tone="warning" title="You are offline">
          Rally Connect needs a connection the first time you open it on this device. It will carry
          on as soon as you are back online.
        </Banner>
      </div>
    );
  }
  return <Loading />;
}

/** The signed-in user, inside a route guarded by `RequireSession`. */
export function useSignedInUser(): Me {
  return useOutletContext<Me>();
}
