import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations, startHarness, type Harness } from './harness';
import type { League, LeagueInput } from '#domain/schemas/leagues';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { api, signUpWithForms } from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

async function addDivision(page: Page, season: string, name: string, min: string, max: string) {
  const section = page.getByRole('region', { name: season });
  await section.getByLabel('Division name').fill(name);
  await section.getByLabel('Lowest level').fill(min);
  await section.getByLabel('Highest level').fill(max);
  await section.getByRole('button', { name: 'Add division' }).click();
  await section.getByRole('link', { name, exact: true }).waitFor();
}

describe('league set-up journey', () => {
  it('an organizer creates a league with a season and two divisions, which anyone can read', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    let leagueUrl: string;
    try {
      await signUpWithForms(harness, page, {
        sub: 'e2e-olga',
        displayName: 'Olga Organizer',
        role: 'organizer',
      });

      await page.getByRole('link', { name: 'Create a league' }).click();
      await page.getByRole('heading', { level: 1, name: 'Create a league' }).waitFor();

      // The shared schema checks the form before anything is sent.
      await page.getByLabel('Singles lines').fill('0');
      await page.getByLabel('Doubles lines').fill('0');
      await page.getByRole('button', { name: 'Create league' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Please fix' });
      await summary.waitFor();
      expect(await summary.getByRole('link').allTextContents()).toEqual([
        'League name: At least 2 characters',
        'Sport: Choose a sport',
        'Singles lines: A team match needs at least one line',
      ]);
      expect(await page.getByLabel('League name').getAttribute('aria-invalid')).toBe('true');
      expect(await seriousA11yViolations(page)).toEqual([]);

      await page.getByLabel('League name').fill('  Riverside Tennis League ');
      await page.getByLabel('Sport').selectOption('tennis');
      await page.getByLabel('Singles lines').fill('2');
      await page.getByLabel('Doubles lines').fill('3');
      await page.getByLabel('Largest roster').fill('8');
      await page.getByRole('button', { name: 'Create league' }).click();

      await page.getByRole('heading', { level: 1, name: 'Riverside Tennis League' }).waitFor();
      leagueUrl = page.url();
      const main = page.getByRole('main');
      await main.getByText('2 singles + 3 doubles per team match').waitFor();
      await main.getByText('Rosters of 4 to 8 players').waitFor();
      await main.getByText('Olga Organizer').waitFor();

      await page.getByRole('button', { name: 'New season' }).click();
      await page.getByLabel('Season name').fill('Spring 2027');
      await page.getByLabel('Starts on').fill('2027-03-01');
      await page.getByLabel('Ends on').fill('2027-06-30');
      await page.getByRole('button', { name: 'Add season' }).click();
      const season = page.getByRole('region', { name: 'Spring 2027' });
      await season.waitFor();
      await season.getByText('Registration open').waitFor();

      await addDivision(page, 'Spring 2027', '3.5 Women', '3.0', '3.5');
      await addDivision(page, 'Spring 2027', '4.0 Men', '3.5', '4.0');
      expect(await season.getByRole('listitem').allTextContents()).toEqual([
        expect.stringContaining('3.5 Women'),
        expect.stringContaining('4.0 Men'),
      ]);
      await season.getByText('Levels 3.0–3.5 · 0 teams').waitFor();

      // Closing registration is one button away, and says so.
      await season.getByRole('button', { name: 'Close registration' }).click();
      await season.getByText('Registration closed').waitFor();
      await season.getByRole('button', { name: 'Open registration' }).click();
      await season.getByText('Registration open').waitFor();

      // Seasons can be changed later, e.g. to run a month longer.
      await season.getByRole('button', { name: 'Edit season' }).click();
      await season.getByLabel('Ends on').fill('2027-07-31');
      await season.getByRole('button', { name: 'Save season' }).click();
      await season.getByText('Mar 1, 2027 to Jul 31, 2027').waitFor();

      expect(await seriousA11yViolations(page)).toEqual([]);

      // A co-organizer is invited by e-mail and joins only by accepting. The answer does not
      // say whether anybody has signed in with the address (issue #10, finding 4).
      await page.getByLabel('Invite a co-organizer').fill('E2E-Hana@example.com');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Invitation to e2e-hana@example.com saved' })
        .waitFor();
      const invitations = page.getByRole('list', { name: 'Invitations to co-organize' });
      await invitations.getByText('e2e-hana@example.com · Waiting for an answer').waitFor();
      await page.getByLabel('Invite a co-organizer').fill('nobody@example.com');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await invitations.getByText('nobody@example.com · Waiting for an answer').waitFor();
      await page
        .getByRole('button', { name: 'Withdraw the invitation to nobody@example.com' })
        .click();
      await invitations.getByText('nobody@example.com · Withdrawn').waitFor();

      // Hana signs in with the invited address and finds the invitation on her dashboard.
      const hanaContext = await harness.newContext();
      try {
        const hana = await hanaContext.newPage();
        await signUpWithForms(harness, hana, {
          sub: 'e2e-hana',
          displayName: 'Hana Helper',
          role: 'player',
        });
        const card = hana.getByRole('list', { name: 'Invitations to co-organize' });
        await card.getByText('Olga Organizer invites you to co-organize').waitFor();
        expect(await seriousA11yViolations(hana)).toEqual([]);
        await card
          .getByRole('button', { name: 'Accept: co-organize Riverside Tennis League' })
          .click();
        await hana
          .getByRole('status')
          .getByRole('link', { name: 'Riverside Tennis League' })
          .click();
        await hana
          .getByRole('heading', { level: 1, name: 'Riverside Tennis League', exact: true })
          .waitFor();
        // She runs it now: the organizers' tools are hers.
        await hana.getByRole('link', { name: 'Edit league' }).waitFor();
      } finally {
        await hanaContext.close();
      }
      await page.goto(leagueUrl);
      await invitations.getByText('e2e-hana@example.com · Accepted').waitFor();
      await page.getByText('Hana Helper').first().waitFor();

      // Editing starts from the saved league and comes back to it.
      await page.getByRole('link', { name: 'Edit league' }).click();
      await page.getByRole('heading', { level: 1, name: 'Edit Riverside Tennis League' }).waitFor();
      expect(await page.getByLabel('Largest roster').inputValue()).toBe('8');
      await page.getByLabel('No-ad scoring (one deciding point at deuce)').check();
      await page.getByRole('button', { name: 'Save league' }).click();
      // Exact: the edit page's own heading ("Edit Riverside Tennis League") and its checkbox label
      // ("No-ad scoring (one deciding point at deuce)") would match at once, before the save.
      await page
        .getByRole('heading', { level: 1, name: 'Riverside Tennis League', exact: true })
        .waitFor();
      await main.getByText('No-ad scoring', { exact: true }).waitFor();

      // A league without teams can be deleted, once its name is typed.
      const spare = await api<League>(page, 'POST', '/api/leagues', {
        name: 'Spare League',
        sport: 'custom',
        customSport: 'Racketlon',
        visibility: 'private',
        format: DEFAULT_MATCH_FORMAT,
        rosterMin: 2,
        rosterMax: 8,
      } satisfies LeagueInput);
      await page.goto(`/leagues/${spare.id}/edit`);
      await page.getByRole('button', { name: 'Delete league' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete Spare League?' });
      await dialog
        .getByLabel('Type the league name, Spare League, to confirm')
        .fill('Spare League');
      await dialog.getByRole('button', { name: 'Delete league' }).click();
      // The leagues page lists what is left.
      await page.getByRole('heading', { level: 1, name: 'Leagues', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Riverside Tennis League', exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Spare League' }).count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }

    // A public league, its divisions and their (empty) team lists are readable signed out.
    const visitor = await harness.newContext();
    const visitorPage = await visitor.newPage();
    try {
      await visitorPage.goto(leagueUrl);
      await visitorPage
        .getByRole('heading', { level: 1, name: 'Riverside Tennis League' })
        .waitFor();
      await visitorPage.getByRole('link', { name: '4.0 Men' }).click();
      await visitorPage.getByRole('heading', { level: 1, name: '4.0 Men' }).waitFor();
      await visitorPage.getByText('No teams yet.').waitFor();
      expect(await visitorPage.getByRole('button', { name: 'New team' }).count()).toBe(0);
      expect(await seriousA11yViolations(visitorPage)).toEqual([]);
    } finally {
      await visitor.close();
    }
  });
});
