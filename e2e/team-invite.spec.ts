import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations, startHarness, type Harness } from './harness';
import {
  completeOnboarding,
  createLeagueWithDivision,
  signUpWithApi,
  signUpWithForms,
} from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('team invite journey', () => {
  it('a captain creates a team and an invite link; a new user signs up through it and joins the roster', async () => {
    // Set-up that is not the point: an organizer's league with an open season and a division.
    const organizer = await harness.newContext();
    const organizerPage = await organizer.newPage();
    await signUpWithApi(harness, organizerPage, {
      sub: 'e2e-otto',
      displayName: 'Otto Organizer',
      role: 'organizer',
    });
    const { leagueId } = await createLeagueWithDivision(organizerPage, 'Riverside Tennis League');
    await organizer.close();

    const captain = await harness.newContext();
    const player = await harness.newContext();
    try {
      const page = await captain.newPage();
      await signUpWithForms(harness, page, {
        sub: 'e2e-cara',
        displayName: 'Cara Captain',
        role: 'captain',
      });

      // From the league to its division, and a new team there.
      await page.goto(`/leagues/${leagueId}`);
      await page.getByRole('link', { name: '3.5 Mixed' }).click();
      await page.getByRole('heading', { level: 1, name: '3.5 Mixed' }).waitFor();
      await page.getByRole('button', { name: 'New team' }).click();
      await page.getByLabel('Team name').fill('Riverside Aces');
      await page.getByLabel('Home venue').fill('Riverside Park courts');
      await page.getByLabel('Main colour').fill('#1A7F37');
      await page.getByRole('button', { name: 'Create team' }).click();

      await page.getByRole('heading', { level: 1, name: 'Riverside Aces', exact: true }).waitFor();
      const roster = page.getByRole('list', { name: 'Roster' });
      const member = (name: string) => roster.getByRole('listitem').filter({ hasText: name });
      await member('Cara Captain (you)').getByText('Captain', { exact: true }).waitFor();
      await page.getByText('1 of 8').waitFor();
      await page.getByText('#1a7f37').waitFor();

      await page.getByRole('button', { name: 'Create invite link' }).click();
      const link = page.getByRole('textbox', { name: 'Invite link', exact: true });
      await link.waitFor();
      const inviteUrl = new URL(await link.inputValue());
      expect(inviteUrl.pathname).toMatch(/^\/invites\/[\w-]+$/);
      await page.getByRole('list', { name: 'Invitations' }).getByText('Used 0 of 25').waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);

      // The second user, in their own browser, opens the link signed out.
      const guest = await player.newPage();
      await guest.goto(inviteUrl.pathname);
      await guest.getByRole('heading', { level: 1, name: 'Join Riverside Aces' }).waitFor();
      await guest.getByText('Cara Captain invited you to join the team.').waitFor();
      expect(await seriousA11yViolations(guest)).toEqual([]);

      // A new user: sign-in, onboarding, and back to the invitation.
      harness.oidc.signInAs({ sub: 'e2e-pia', email: 'pia@example.com', email_verified: true });
      await guest.getByRole('link', { name: 'Sign in to join' }).click();
      await guest.getByRole('heading', { level: 1, name: 'Sign in to Rally Connect' }).waitFor();
      await guest.getByRole('link', { name: 'Sign in with Google' }).click();
      await completeOnboarding(guest, 'Pia Player', 'player');
      await guest.waitForURL((url) => url.pathname === inviteUrl.pathname);
      await guest.getByRole('heading', { level: 1, name: 'Join Riverside Aces' }).waitFor();
      expect(await seriousA11yViolations(guest)).toEqual([]);

      await guest.getByRole('button', { name: 'Accept and join Riverside Aces' }).click();
      // Exact: the invitation's own heading, "Join Riverside Aces", would match at once.
      await guest.getByRole('heading', { level: 1, name: 'Riverside Aces', exact: true }).waitFor();
      await guest
        .getByRole('list', { name: 'Roster' })
        .getByRole('listitem')
        .filter({ hasText: 'Pia Player (you)' })
        .waitFor();
      await guest.getByRole('button', { name: 'Leave team' }).waitFor();

      // The captain sees the new player after a reload.
      await page.reload();
      const status = page.getByLabel('Status of Pia Player');
      await status.waitFor();
      expect(await status.inputValue()).toBe('active');
      await page.getByText('2 of 8').waitFor();
      await page.getByRole('list', { name: 'Invitations' }).getByText('Used 1 of 25').waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);

      // Roster management: the captain marks the new player as a substitute.
      await status.selectOption('substitute');
      await member('Pia Player').locator('.status', { hasText: 'Substitute' }).waitFor();

      // A withdrawn link stops working, and says why.
      const invitations = page.getByRole('list', { name: 'Invitations' });
      await invitations.getByRole('button', { name: /^Withdraw link/ }).click();
      await invitations.getByText('Withdrawn', { exact: true }).waitFor();
      await guest.goto(inviteUrl.pathname);
      await guest
        .getByRole('heading', { level: 1, name: 'This invitation can no longer be used' })
        .waitFor();
      await guest.getByText('withdrawn', { exact: false }).waitFor();

      // The captain can take a member off the roster again, after a second click.
      await page.getByRole('button', { name: 'Remove Pia Player', exact: true }).click();
      await page.getByRole('button', { name: 'Yes, remove Pia Player' }).click();
      await page.getByText('1 of 8').waitFor();
      expect(await member('Pia Player').count()).toBe(0);
    } finally {
      await captain.close();
      await player.close();
    }
  });
});
