import type { OnboardingStep } from '#domain/schemas/me';
import { safeReturnTo } from '../lib/returnTo';

const STEP_PATHS: Record<Exclude<OnboardingStep, 'done'>, string> = {
  profile: '/onboarding/profile',
  role: '/onboarding/role',
};

/**
 * Where a signed-in user at `pathname` must go instead, or null to stay: onboarding steps are
 * taken in order, and once onboarding is done its pages lead to the dashboard.
 */
export function onboardingRedirect(step: OnboardingStep, pathname: string): string | null {
  if (step !== 'done') return pathname === STEP_PATHS[step] ? null : STEP_PATHS[step];
  return pathname.startsWith('/onboarding') ? '/' : null;
}

/**
 * Like `onboardingRedirect`, but remembers where the user was going: a new user who opened a deep
 * link (an invite, say) goes through onboarding with `?returnTo=` and lands on that link at the
 * end, instead of on the dashboard.
 */
export function onboardingRedirectWithReturn(
  step: OnboardingStep,
  location: { pathname: string; search: string; hash: string },
): string | null {
  const target = onboardingRedirect(step, location.pathname);
  if (!target) return null;
  const onOnboarding = location.pathname.startsWith('/onboarding');
  const carried = onOnboarding
    ? new URLSearchParams(location.search).get('returnTo')
    : `${location.pathname}${location.search}${location.hash}`;
  const returnTo = safeReturnTo(carried);
  if (target === '/') return returnTo;
  if (returnTo === '/' || returnTo.startsWith('/onboarding')) return target;
  return `${target}?${new URLSearchParams({ returnTo }).toString()}`;
}
