import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations, startHarness, type Harness } from './harness';
import {
  api,
  createLeagueWithDivision,
  createTeam,
  signUpWithApi,
  waitForStoredWrite,
} from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('team delete journey', () => {
  it('a captain deletes a team after typing its name, and the division no longer lists it', async () => {
    const context = await harness.newContext();
    try {
      // Set-up through the API: an organizer's league, then a captain's team in it.
      const setup = await context.newPage();
      await signUpWithApi(harness, setup, {
        sub: 'e2e-oona',
        displayName: 'Oona Organizer',
        role: 'organizer',
      });
      const { leagueId, divisionId } = await createLeagueWithDivision(setup, 'Eastside League');
      await setup.context().clearCookies();
      await setup.close();

      let page = await context.newPage();
      await signUpWithApi(harness, page, {
        sub: 'e2e-carl',
        displayName: 'Carl Captain',
        role: 'captain',
      });
      const team = await createTeam(page, divisionId, { name: 'Eastside Smashers' });
      await createTeam(page, divisionId, { name: 'Eastside Volleys' });

      await page.goto(`/teams/${team.id}`);
      await page.getByRole('heading', { level: 1, name: 'Eastside Smashers' }).waitFor();

      // A team edit can wait: saved offline and the tab closed, it is kept on the device and
      // sent when the app opens again online.
      await page.getByRole('button', { name: 'Edit team' }).click();
      await page.getByLabel('Home venue').fill('Harbour Courts');
      await context.setOffline(true);
      await page.getByRole('button', { name: 'Save team' }).click();
      await page.getByText('The team will be saved when the connection is back.').waitFor();
      await waitForStoredWrite(page, 'update-team', 'Harbour Courts');
      await page.close();
      await context.setOffline(false);
      page = await context.newPage();
      await page.goto(`/teams/${team.id}`);
      await page.getByRole('heading', { level: 1, name: 'Eastside Smashers' }).waitFor();
      await expect
        .poll(
          async () =>
            (await api<{ homeVenue: string | null }>(page, 'GET', `/api/teams/${team.id}`))
              .homeVenue,
          // The queue is sent once the cache is restored: give a loaded machine time.
          { timeout: 15_000 },
        )
        .toBe('Harbour Courts');

      // A deletion cannot wait for the connection: offline, the button is off and says why.
      const deleteButton = page.getByRole('button', { name: 'Delete team' });
      await context.setOffline(true);
      const needsConnection = page.getByText('Deleting a team needs a connection.', {
        exact: true,
      });
      await needsConnection.waitFor();
      expect(await deleteButton.isDisabled()).toBe(true);
      await context.setOffline(false);
      await needsConnection.waitFor({ state: 'detached' });

      await deleteButton.click();
      const dialog = page.getByRole('dialog', { name: 'Delete Eastside Smashers?' });
      await dialog.waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);

      // The wrong name keeps the team.
      const confirm = dialog.getByLabel('Type the team name, Eastside Smashers, to confirm');
      await confirm.fill('Eastside');
      await dialog.getByRole('button', { name: 'Delete team' }).click();
      await dialog
        .getByRole('alert')
        .filter({ hasText: 'Type Eastside Smashers exactly' })
        .waitFor();
      expect(await confirm.getAttribute('aria-invalid')).toBe('true');

      await confirm.fill('Eastside Smashers');
      await dialog.getByRole('button', { name: 'Delete team' }).click();

      await page.waitForURL(`**/leagues/${leagueId}/divisions/${divisionId}`);
      await page.getByRole('heading', { level: 1, name: '3.5 Mixed' }).waitFor();
      const teams = page.getByRole('list', { name: 'Teams' });
      await teams.getByRole('link', { name: 'Eastside Volleys' }).waitFor();
      expect(await teams.getByText('Eastside Smashers').count()).toBe(0);

      // Not only in this tab's cache: the server's list agrees after a reload.
      await page.reload();
      await teams.getByRole('link', { name: 'Eastside Volleys' }).waitFor();
      expect(await teams.getByText('Eastside Smashers').count()).toBe(0);

      // The name of a deleted team is free again; a name still in use is refused at the field.
      await page.getByRole('button', { name: 'New team' }).click();
      await page.getByLabel('Team name').fill('Eastside Volleys');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Team name: A team with this name is already in this division' })
        .waitFor();
      await page.getByLabel('Team name').fill('Eastside Smashers');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('heading', { level: 1, name: 'Eastside Smashers' }).waitFor();
      expect(page.url()).not.toContain(team.id);

      await page.goto(`/teams/${team.id}`);
      await page.getByRole('heading', { level: 1, name: 'No such team' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
