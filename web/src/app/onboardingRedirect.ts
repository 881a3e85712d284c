import type { OnboardingStep } from '../../../domain/schemas/profile';

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
