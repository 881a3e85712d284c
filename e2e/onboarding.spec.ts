import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations, startHarness, type Harness } from './harness';
import { waitForStoredWrite } from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

async function withPage(run: (page: Page, context: BrowserContext) => Promise<void>) {
  const context = await harness.newContext();
  const page = await context.newPage();
  try {
    await run(page, context);
  } finally {
    await context.close();
  }
}

/** What the web app keeps in IndexedDB (idb-keyval's default store), as text. */
function persistedCache(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onupgradeneeded = () => open.result.createObjectStore('keyval');
        open.onsuccess = () => {
          const read = open.result
            .transaction('keyval')
            .objectStore('keyval')
            .get('rally-connect:query-cache');
          read.onsuccess = () => resolve(JSON.stringify(read.result ?? null));
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

/** Signs a new user in through the provider and completes onboarding with valid answers. */
async function onboard(page: Page, sub: string, displayName: string) {
  harness.oidc.signInAs({ sub, email: `${sub}@example.com`, email_verified: true });
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await page.waitForURL('**/onboarding/profile');
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('City or club').fill('Eastside Padel');
  await page.getByLabel('Padel', { exact: true }).check();
  await page.getByLabel('Padel level').selectOption('novice');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.waitForURL('**/onboarding/role');
  await page.getByLabel('Team captain', { exact: true }).check();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Hello, ${displayName}` }).waitFor();
}

describe('onboarding journey', () => {
  it('a new user signs in with the identity provider, onboards, sees the dashboard and signs out', async () => {
    harness.oidc.signInAs({
      sub: 'e2e-jo',
      email: 'jo@example.com',
      email_verified: true,
      name: 'Jo Example',
    });

    await withPage(async (page) => {
      // Signed out, the app sends the user to the sign-in page.
      await page.goto('/');
      await page.waitForURL('**/sign-in');
      await page.getByRole('heading', { level: 1, name: 'Sign in to Rally Connect' }).waitFor();
      expect(await page.title()).toBe('Sign in · Rally Connect');
      expect(await page.getByRole('heading', { name: 'Try the demo' }).count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Through the provider and back; a first sign-in leads to the profile step.
      await page.getByRole('link', { name: 'Sign in with Google' }).click();
      await page.waitForURL('**/onboarding/profile');
      await page.getByRole('heading', { level: 1, name: 'Set up your profile' }).waitFor();

      // An invalid submit names every problem, in a summary that takes focus and on each field.
      const displayName = page.getByLabel('Display name');
      const phone = page.getByLabel('Phone');
      const cityOrClub = page.getByLabel('City or club');
      await displayName.fill('');
      await phone.fill('12345');
      await page.getByRole('button', { name: 'Save and continue' }).click();

      const summary = page.getByRole('alert').filter({ hasText: 'Please fix' });
      await summary.waitFor();
      expect(await summary.getByRole('heading').textContent()).toBe('Please fix 4 problems');
      expect(await summary.getByRole('link').allTextContents()).toEqual([
        'Display name: At least 2 characters',
        'Phone: Use international format, e.g. +14155550123',
        'City or club: At least 2 characters',
        'Sports: Choose at least one sport',
      ]);
      // Focus moves in an effect after the render: wait for it.
      await expect
        .poll(
          () => page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
          { timeout: 10_000 },
        )
        .toBe(true);
      for (const field of [displayName, phone, cityOrClub]) {
        expect(await field.getAttribute('aria-invalid')).toBe('true');
      }
      const describedBy = (await displayName.getAttribute('aria-describedby'))?.split(' ') ?? [];
      const descriptions = await Promise.all(
        describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()),
      );
      expect(descriptions).toContain('Error: At least 2 characters');
      const sports = page.getByRole('group', { name: 'Sports you play' });
      expect(await sports.getAttribute('aria-describedby')).toContain('profile-sports-error');
      expect(await page.locator('#profile-sports-error').textContent()).toBe(
        'Error: Choose at least one sport',
      );
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Each summary entry leads to its field.
      await summary.getByRole('link', { name: /^City or club/ }).click();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 })
        .toBe('profile-cityOrClub');

      // A sport needs a level too.
      await displayName.fill('Jo Example');
      await phone.fill('+14155550123');
      await cityOrClub.fill('Riverside Tennis Club');
      await page.getByLabel('Tennis', { exact: true }).check();
      await page.getByRole('button', { name: 'Save and continue' }).click();
      // The summary of the first attempt is still on screen: wait for this attempt's.
      await summary.getByRole('heading', { name: 'Please fix 1 problem', exact: true }).waitFor();
      expect(await page.getByLabel('Tennis level').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Tennis level').selectOption('intermediate');
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.waitForURL('**/onboarding/role');

      // Role step: the server keeps the user here until a role is chosen.
      await page.getByRole('heading', { level: 1, name: 'Choose your role' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.goto('/');
      await page.waitForURL('**/onboarding/role');
      await page.getByLabel('League organizer').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.waitForURL((url) => url.pathname === '/');
      await page.getByRole('heading', { level: 1, name: 'Hello, Jo Example' }).waitFor();
      const main = page.getByRole('main');
      await main.getByText('League organizer', { exact: true }).waitFor();
      await main.getByText('Riverside Tennis Club').waitFor();
      await main.getByText('+14155550123').waitFor();
      await page.getByRole('banner').getByText('Jo Example').waitFor();
      expect(await page.title()).toBe('Dashboard · Rally Connect');
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Onboarding is over: its pages now lead to the dashboard, even after a reload.
      await page.goto('/onboarding/profile');
      await page.waitForURL((url) => url.pathname === '/');
      await page.getByRole('heading', { level: 1, name: 'Hello, Jo Example' }).waitFor();

      // Signing out ends the session and forgets the cached data.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/sign-in');
      await page.getByRole('heading', { level: 1, name: 'Sign in to Rally Connect' }).waitFor();
      expect(await persistedCache(page)).not.toContain('Jo Example');
      await page.goto('/profile');
      await page.waitForURL('**/sign-in?returnTo=%2Fprofile');
    });
  });

  it('the sign-in page explains a failed sign-in', async () => {
    await withPage(async (page) => {
      await page.goto('/sign-in?error=denied');
      const alert = page.getByRole('alert').filter({ hasText: 'You are not signed in' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Sign-in was cancelled');
    });
  });

  it('a stale profile edit is refused, the newer profile can be reloaded, and the role changed', async () => {
    await withPage(async (page, context) => {
      await onboard(page, 'e2e-kim', 'Kim Lee');
      await page.goto('/profile');
      await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);

      // The same profile, saved meanwhile in another tab.
      const other = await context.newPage();
      await other.goto('/profile');
      await other.getByLabel('City or club').fill('Northside Club');
      await other.getByRole('button', { name: 'Save profile' }).click();
      await other.getByText('Your profile is saved.').waitFor();
      await other.close();

      await page.getByLabel('Display name').fill('Kim A. Lee');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('This profile was changed elsewhere; reload').waitFor();
      await page.getByRole('button', { name: 'Reload profile' }).click();
      await expect
        .poll(() => page.getByLabel('City or club').inputValue(), { timeout: 10_000 })
        .toBe('Northside Club');
      await expect
        .poll(() => page.getByLabel('Display name').inputValue(), { timeout: 10_000 })
        .toBe('Kim Lee');

      await page.getByLabel('Display name').fill('Kim A. Lee');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Your profile is saved.').waitFor();

      await page.getByLabel('Player', { exact: true }).check();
      await page.getByRole('button', { name: 'Save role' }).click();
      await page.getByText('Your role is saved.').waitFor();

      await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Hello, Kim A. Lee' }).waitFor();
      const main = page.getByRole('main');
      await main.getByText('Player', { exact: true }).waitFor();
      await main.getByText('Northside Club').waitFor();
    });
  });

  it('a profile saved while offline is sent when the connection is back', async () => {
    await withPage(async (page, context) => {
      await onboard(page, 'e2e-ola', 'Ola Berg');
      await page.goto('/profile');
      await page.getByLabel('City or club').fill('Harbour Tennis');
      await context.setOffline(true);
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Your profile will be saved when the connection is back.').waitFor();
      await context.setOffline(false);
      await page.getByText('Your profile is saved.').waitFor();
      await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
      // The click starts a client-side navigation: wait for the page before reading it.
      await page.getByRole('heading', { level: 1, name: 'Hello, Ola Berg' }).waitFor();
      await page.getByRole('main').getByText('Harbour Tennis').waitFor();

      // Saved offline and the tab closed: the queued profile is kept on the device and sent
      // when the app opens again online.
      await page.goto('/profile');
      await page.getByLabel('City or club').fill('Quayside Racquets');
      await context.setOffline(true);
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Your profile will be saved when the connection is back.').waitFor();
      await waitForStoredWrite(page, 'save-profile', 'Quayside Racquets');
      await page.close();
      await context.setOffline(false);
      const reopened = await context.newPage();
      await reopened.goto('/');
      await reopened.getByRole('heading', { level: 1, name: 'Hello, Ola Berg' }).waitFor();
      await reopened.getByRole('main').getByText('Quayside Racquets').waitFor();
    });
  });
});
