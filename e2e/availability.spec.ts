import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityGrid } from '#domain/schemas/availability';
import type { Match } from '#domain/schemas/matches';
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

/** The only match of "My schedule", with its team sheet open when asked. */
async function myMatch(page: Page, sheet = false) {
  await page.goto('/schedule');
  const row = page.getByRole('list', { name: 'Upcoming matches' }).locator('li.match').first();
  await row.waitFor();
  if (sheet) {
    await row.getByText('Team sheet', { exact: true }).click();
    await row.getByRole('heading', { name: 'Date proposals' }).waitFor();
  }
  return row;
}

/** The "Team sheet" card of a match page. */
function teamSheetCard(page: Page) {
  return page.locator('section.card', {
    has: page.getByRole('heading', { level: 2, name: 'Team sheet', exact: true }),
  });
}

describe('availability journey', () => {
  it('a player answers, the captain picks the lineup, and the captains agree on a new date', async () => {
    const contexts = [
      await harness.newContext(),
      await harness.newContext(),
      await harness.newContext(),
      await harness.newContext(),
    ] as const;
    try {
      const organizer = await contexts[0].newPage();
      const home = await contexts[1].newPage();
      const away = await contexts[2].newPage();
      const player = await contexts[3].newPage();
      // Set-up through the API: a league, two teams with their captains, a player on the first.
      await signUpWithApi(harness, organizer, {
        sub: 'e2e-ora',
        displayName: 'Ora Organizer',
        role: 'organizer',
      });
      const { divisionId } = await createLeagueWithDivision(organizer, 'Availability League');
      await signUpWithApi(harness, home, {
        sub: 'e2e-hana',
        displayName: 'Hana Home',
        role: 'captain',
      });
      await signUpWithApi(harness, away, {
        sub: 'e2e-abe',
        displayName: 'Abe Away',
        role: 'captain',
      });
      const homeTeam = await createTeam(home, divisionId, { name: 'Home Hitters' });
      const awayTeam = await createTeam(away, divisionId, { name: 'Away Aces' });
      const invite = await api<{ url: string }>(home, 'POST', `/api/teams/${homeTeam.id}/invites`, {
        kind: 'link',
      });
      await signUpWithApi(harness, player, {
        sub: 'e2e-pia',
        displayName: 'Pia Player',
        role: 'player',
      });
      await api(
        player,
        'POST',
        `/api/invites/${new URL(invite.url).pathname.split('/').pop()}/accept`,
      );
      const match = await api<Match>(organizer, 'POST', `/api/divisions/${divisionId}/matches`, {
        homeTeamId: homeTeam.id,
        awayTeamId: awayTeam.id,
        date: '2027-03-09',
        startTime: '18:00',
        durationMinutes: 120,
      });

      // The player answers "Can you play?" on the match page (opened from their schedule)…
      const playerRow = await myMatch(player);
      await playerRow
        .getByRole('link', { name: /^Match page of Home Hitters vs Away Aces/ })
        .click();
      await player.getByRole('heading', { level: 1, name: 'Home Hitters vs Away Aces' }).waitFor();
      const sheet = teamSheetCard(player);
      await sheet
        .getByRole('group', { name: /Can you play\?/ })
        .getByLabel('Maybe', { exact: true })
        .check();
      await sheet.getByText('Answer saved').waitFor();
      await sheet
        .getByRole('row', { name: /Pia Player/ })
        .getByText('Maybe', { exact: true })
        .waitFor();
      expect(await seriousA11yViolations(player)).toEqual([]);
      // …and changes it on their schedule, where the first answer shows.
      const playerBack = await myMatch(player);
      const canPlay = playerBack.getByRole('group', { name: /Can you play\?/ });
      await canPlay.locator('input[value="maybe"]:checked').waitFor();
      await canPlay.getByLabel('Available', { exact: true }).check();
      await playerBack.getByText('Answer saved').waitFor();
      // The organizer, on no team, sees the match page without a team sheet.
      await organizer.goto(`/matches/${match.id}`);
      await organizer.getByRole('heading', { level: 2, name: 'Result', exact: true }).waitFor();
      expect(await teamSheetCard(organizer).count()).toBe(0);

      // The home captain sees the answer and puts the player on singles line 1.
      const homeRow = await myMatch(home, true);
      // Exact: "Unavailable" contains "available" too.
      await homeRow
        .getByRole('row', { name: /Pia Player/ })
        .getByText('Available', { exact: true })
        .waitFor();
      // Nobody plays two lines: the server's error is shown at the seat it names.
      await homeRow.getByLabel('Singles line 1').selectOption({ label: 'Pia Player (Available)' });
      await homeRow.getByLabel('Singles line 2').selectOption({ label: 'Pia Player (Available)' });
      await homeRow.getByRole('button', { name: 'Save the lineup' }).click();
      const summary = homeRow.getByRole('alert').filter({ hasText: 'Please fix' });
      await summary.getByRole('link', { name: /^Singles line [12]:/ }).waitFor();
      expect(await homeRow.locator('select[aria-invalid="true"]').count()).toBeGreaterThan(0);
      await homeRow.getByLabel('Singles line 2').selectOption({ label: 'Nobody yet' });
      await homeRow.getByRole('button', { name: 'Save the lineup' }).click();
      await homeRow.getByText('Lineup saved').waitFor();
      expect(await seriousA11yViolations(home)).toEqual([]);

      // The away captain proposes another date; the home captain accepts it.
      const awayRow = await myMatch(away, true);
      await awayRow.getByLabel('Proposed date').fill('2027-03-16');
      await awayRow.getByLabel('Start time').fill('19:00');
      await awayRow.getByLabel('Message').fill('Our courts are booked on the 9th');
      await awayRow.getByRole('button', { name: 'Propose the date' }).click();
      await awayRow.getByRole('button', { name: /^Withdraw the proposal/ }).waitFor();

      const homeAgain = await myMatch(home, true);
      await homeAgain.getByText('Our courts are booked on the 9th').waitFor();
      await homeAgain.getByRole('button', { name: /^Accept / }).click();
      await homeAgain.getByText('Moved to a new date.').waitFor();

      // The player sees the match moved, at the new time.
      const playerAgain = await myMatch(player);
      await playerAgain.getByText('Moved to a new date.').waitFor();
      await playerAgain.getByText(/2027 · 19:00/).waitFor();
      expect(await playerAgain.textContent()).toContain('16');

      // No signal: an answer can wait, even through a closed tab (DESIGN §5). It is sent when the
      // app opens again online, without waiting for an "online" or focus event.
      const playerContext = contexts[3];
      await player.goto(`/matches/${match.id}`);
      const sheetBefore = teamSheetCard(player);
      await sheetBefore
        .getByRole('row', { name: /Pia Player/ })
        .getByText('Available', { exact: true })
        .waitFor();
      await playerContext.setOffline(true);
      await sheetBefore
        .getByRole('group', { name: /Can you play\?/ })
        .getByLabel('Unavailable', { exact: true })
        .check();
      await sheetBefore
        .getByText('Your answer is saved on this device and sent when you are back online.')
        .waitFor();
      await waitForStoredWrite(player, 'answer-availability', '"unavailable"');
      await player.close();
      await playerContext.setOffline(false);
      const reopened = await playerContext.newPage();
      await reopened.goto(`/matches/${match.id}`);
      const sheetAfter = teamSheetCard(reopened);
      await sheetAfter
        .getByRole('row', { name: /Pia Player/ })
        .getByText('Unavailable', { exact: true })
        .waitFor();
      await expect
        .poll(
          async () =>
            (
              await api<AvailabilityGrid>(reopened, 'GET', `/api/matches/${match.id}/availability`)
            ).players.find((p) => p.displayName === 'Pia Player')?.answer,
          { timeout: 10_000 },
        )
        .toBe('unavailable');
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});
