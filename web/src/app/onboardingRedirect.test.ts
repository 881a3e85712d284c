import { describe, expect, it } from 'vitest';
import { onboardingRedirect, onboardingRedirectWithReturn } from './onboardingRedirect';

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

describe('onboardingRedirectWithReturn', () => {
  const at = (pathname: string, search = '', hash = '') => ({ pathname, search, hash });

  it('carries a deep link through onboarding', () => {
    expect(onboardingRedirectWithReturn('profile', at('/invites/abc'))).toBe(
      '/onboarding/profile?returnTo=%2Finvites%2Fabc',
    );
    expect(
      onboardingRedirectWithReturn('role', at('/onboarding/profile', '?returnTo=%2Finvites%2Fabc')),
    ).toBe('/onboarding/role?returnTo=%2Finvites%2Fabc');
  });

  it('leads to the deep link once onboarding is done', () => {
    expect(
      onboardingRedirectWithReturn('done', at('/onboarding/role', '?returnTo=%2Finvites%2Fabc')),
    ).toBe('/invites/abc');
    expect(onboardingRedirectWithReturn('done', at('/onboarding/role'))).toBe('/');
  });

  it('adds nothing for the dashboard, and refuses links to other sites', () => {
    expect(onboardingRedirectWithReturn('profile', at('/'))).toBe('/onboarding/profile');
    expect(
      onboardingRedirectWithReturn('done', at('/onboarding/role', '?returnTo=%2F%2Fevil.example')),
    ).toBe('/');
  });

  it('keeps a user on their step', () => {
    expect(
      onboardingRedirectWithReturn('profile', at('/onboarding/profile', '?returnTo=%2Fx')),
    ).toBeNull();
  });
});
