import { Navigate, Outlet, useLocation, useOutletContext } from 'react-router';
import type { Me } from '#domain/schemas/me';
import { Banner, Button, Loading } from '../components';
import { confirmedUser, isSignedOut, useMe } from '../features/auth';
import { describeError } from '../lib/forms';
import { onboardingRedirectWithReturn } from './onboardingRedirect';

function AccountError({ me }: { me: ReturnType<typeof useMe> }) {
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

function FirstLoadOffline() {
  return (
    <div className="page page--narrow">
      <Banner tone="warning" title="You are offline">
        Rally Connect needs a connection the first time you open it on this device. It will carry on
        as soon as you are back online.
      </Banner>
    </div>
  );
}

/**
 * Routes under this one need a session; pages read the user with `useSignedInUser()`. A user who
 * has not finished onboarding is sent through it, and then back to where they were going.
 */
export function RequireSession() {
  return <SessionGate required />;
}

/**
 * Routes under this one are readable signed out (public leagues, invite links); pages read the
 * user, or null, with `useOptionalUser()`. A signed-in user still finishes onboarding first.
 */
export function OptionalSession() {
  return <SessionGate required={false} />;
}

function SessionGate({ required }: { required: boolean }) {
  const me = useMe();
  const location = useLocation();

  if (isSignedOut(me.error)) {
    if (!required) return <Outlet context={null} />;
    const returnTo = `${location.pathname}${location.search}${location.hash}`;
    const query = returnTo === '/' ? '' : `?${new URLSearchParams({ returnTo }).toString()}`;
    return <Navigate to={`/sign-in${query}`} replace />;
  }
  const user = confirmedUser(me);
  if (user) {
    const target = onboardingRedirectWithReturn(user.onboarding, location);
    if (target) return <Navigate to={target} replace />;
    return <Outlet context={user} />;
  }
  if (me.isError && !me.data) return <AccountError me={me} />;
  if (me.fetchStatus === 'paused') return <FirstLoadOffline />;
  return <Loading />;
}

/** The signed-in user, inside a route guarded by `RequireSession`. */
export function useSignedInUser(): Me {
  return useOutletContext<Me>();
}

/** The signed-in user, or null when signed out, inside a route guarded by `OptionalSession`. */
export function useOptionalUser(): Me | null {
  return useOutletContext<Me | null>();
}
