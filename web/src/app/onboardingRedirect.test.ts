import { describe, expect, it } from 'vitest';
import { onboardingRedirect } from './onboardingRedirect';

describe('onboardingRedirect', () => {
  it('keeps a user on the onboarding step they are at', () => {
    expect(onboardingRedirect('profile', '/onboarding/profile')).toBeNull();
    expect(onboardingRedirect('role', '/onboarding/role')).toBeNull();
  });

  it('sends a user who has not finished onboarding to their step', () => {
    expect(onboardingRedirect('profile', '/')).toBe('/onboarding/profile');
    expect(onboardingRedirect('profile', '/onboarding/role')).toBe('/onboarding/profile');
    expect(onboardingRedirect('role', '/profile')).toBe('/onboarding/role');
  });

  it('sends an onboarded user away from the onboarding pages only', () => {
    expect(onboardingRedirect('done', '/onboarding/role')).toBe('/');
    expect(onboardingRedirect('done', '/profile')).toBeNull();
  });
});
