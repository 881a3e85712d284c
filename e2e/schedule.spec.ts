import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Match } from '#domain/schemas/matches';
import { seriousA11yViolations, startHarness, type Harness } from './harness';
import { api, createLeagueWithDivision, createTeam, signUpWithApi } from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Screenshots for a person to look at, only when `E2E_SCREENSHOT_DIR` is set. */
async function snap(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** The STATUS of each VEVENT of an iCal text, by UID, read with a real iCal parser. */
function eventStatuses(ics: string): Map<string, string> {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return new Map(
    calendar
      .getAllSubcomponents('vevent')
      .map((e) => [
        String(e.getFirstPropertyValue('uid')),
        String(e.getFirstPropertyValue('status')),
      ]),
  );
}

const TEAMS = ['Riverside Aces', 'Baseline Bandits', 'Cross Court Club', 'Drop Shots'];
const evenings = ['tue', 'thu'].map((weekday) => ({ weekday, from: '17:00', to: '23:00' }));

describe('schedule journey', () => {
  it('an organizer builds, reviews and publishes a schedule; a player sees it, and a cancellation in the app and in the calendar feed', async () => {
    const organizer = await harness.newContext();
    const player = await harness.newContext();
    try {
      // Set-up that is not the point: a league, its venues, four teams and a player on one.
      const page = await organizer.newPage();
      await signUpWithApi(harness, page, {
        sub: 'e2e-olga',
        displayName: 'Olga Organizer',
        role: 'organizer',
      });
      const { leagueId, divisionId } = await createLeagueWithDivision(page, 'Riverside League');
      const teamIds: string[] = [];
      for (const name of TEAMS) teamIds.push((await createTeam(page, divisionId, { name })).id);
      const invite = await api<{ url: string }>(page, 'POST', `/api/teams/${teamIds[0]}/invites`, {
        kind: 'link',
      });
      for (const name of ['North Courts', 'South Courts']) {
        await api(page, 'POST', `/api/leagues/${leagueId}/venues`, {
          name,
          address: `${name} Road 1`,
          courts: 10,
          availability: evenings,
        });
      }

      const playerPage = await player.newPage();
      await signUpWithApi(harness, playerPage, {
        sub: 'e2e-pablo',
        displayName: 'Pablo Player',
        role: 'player',
      });
      const token = new URL(invite.url).pathname.split('/').pop();
      await api(playerPage, 'POST', `/api/invites/${token}/accept`);

      // The organizer builds the schedule in the division page.
      await page.goto(`/leagues/${leagueId}`);
      await page
        .getByRole('list', { name: 'Venues' })
        .getByText('North Courts', { exact: true })
        .waitFor();

      // Venues through the form: errors are named, then a venue is added, edited and deleted.
      const venues = page.getByRole('list', { name: 'Venues' });
      await page.getByRole('button', { name: 'Add a venue' }).click();
      await page.getByRole('button', { name: 'Add venue' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Please fix' });
      await summary.getByRole('link', { name: /^Venue name:/ }).waitFor();
      await summary.getByRole('link', { name: /^Courts:/ }).waitFor();
      await page.getByLabel('Venue name').fill('East Courts');
      await page.getByLabel('Courts', { exact: true }).fill('4');
      await page.getByRole('button', { name: 'Add venue' }).click();
      await venues.getByText('4 courts · Tuesday 18:00–22:00').waitFor();
      await page.getByRole('button', { name: 'Edit East Courts' }).click();
      await page.getByLabel('Courts', { exact: true }).fill('5');
      await page.getByRole('button', { name: 'Save venue' }).click();
      await venues.getByText('5 courts · Tuesday 18:00–22:00').waitFor();
      await page.getByRole('button', { name: 'Delete East Courts' }).click();
      await page.getByRole('button', { name: 'Yes, delete East Courts' }).click();
      await venues.getByText('East Courts', { exact: true }).waitFor({ state: 'detached' });
      await page.getByRole('link', { name: '3.5 Mixed' }).click();
      await page.getByRole('heading', { level: 1, name: '3.5 Mixed' }).waitFor();
      await page.getByText('No schedule yet.').waitFor();
      await page.getByRole('button', { name: 'Build the schedule' }).click();
      const form = page.getByRole('form', { name: 'Build the schedule' });
      await form.getByLabel('Tuesday').check();
      await form.getByLabel('Thursday').check();
      await form.getByLabel('Start times').fill('18:00, 20:00');
      await form.getByLabel('Match length').fill('120');
      await form.getByLabel('Home venue of Riverside Aces').selectOption({ label: 'North Courts' });
      await form
        .getByLabel('Home venue of Baseline Bandits')
        .selectOption({ label: 'South Courts' });
      await form
        .getByLabel('Home venue of Cross Court Club')
        .selectOption({ label: 'North Courts' });
      await form.getByLabel('Home venue of Drop Shots').selectOption({ label: 'South Courts' });
      // A team's date that is not a date is named at that team's field, before anything is sent.
      const dropShotsAway = form.getByLabel('Dates Drop Shots cannot play');
      await dropShotsAway.fill('2027-02-30');
      await page.getByRole('button', { name: 'Preview draft' }).click();
      await expect
        .poll(() => dropShotsAway.getAttribute('aria-invalid'), { timeout: 10_000 })
        .toBe('true');
      await dropShotsAway.fill('');
      // A season cut short: the rounds that do not fit are named, and publishing waits.
      await form.getByLabel('Last match date').fill('2027-03-12');
      await page.getByRole('button', { name: 'Preview draft' }).click();
      await page.getByRole('heading', { name: 'Draft to review' }).waitFor();
      const round3 = page.getByRole('region', { name: 'Draft round 3' });
      await round3.getByText('Not placed').first().waitFor();
      expect(await round3.locator('.problem').count()).toBeGreaterThan(0);
      await page.getByText('could not be placed', { exact: false }).first().waitFor();
      expect(await page.getByRole('button', { name: 'Publish the schedule' }).isDisabled()).toBe(
        true,
      );
      await snap(page, 'schedule-draft-problems');
      await form.getByLabel('Last match date').fill('');
      await page.getByRole('button', { name: 'Preview draft' }).click();

      // Review: three rounds of two matches, every constraint met, nothing saved yet. (The draft
      // with problems stays on screen until the new one comes: wait for the new one's summary.)
      await page.getByText('6 matches in 3 rounds: every constraint is met.').waitFor();
      for (const round of [1, 2, 3]) {
        expect(
          await page
            .getByRole('list', { name: `Round ${round} of the draft` })
            .getByRole('listitem')
            .count(),
        ).toBe(2);
      }
      expect(await api<Match[]>(page, 'GET', `/api/divisions/${divisionId}/matches`)).toEqual([]);
      await snap(page, 'schedule-draft');

      await page.getByRole('button', { name: 'Publish the schedule' }).click();
      await page.getByText('6 matches created').waitFor();
      await page.getByRole('list', { name: 'Round 1 matches' }).waitFor();
      expect(await page.getByRole('list', { name: /^Round \d matches$/ }).count()).toBe(3);

      // The player sees their team's three matches on the dashboard.
      await playerPage.goto('/');
      const mine = playerPage.getByRole('list', { name: 'My upcoming matches' });
      await mine.waitFor();
      expect(await mine.getByRole('listitem').count()).toBe(3);
      const [first, second] = await api<Match[]>(playerPage, 'GET', '/api/me/matches');
      if (!first || !second) throw new Error('The player has too few matches');
      const title = `${first.homeTeam.name} vs ${first.awayTeam.name}`;
      const movedTitle = `${second.homeTeam.name} vs ${second.awayTeam.name}`;
      await snap(playerPage, 'dashboard-schedule');

      // The organizer cancels that match in the app, with a reason.
      await page.reload();
      await page
        .getByRole('button', { name: `Cancel ${title}`, exact: true })
        .first()
        .click();
      const dialog = page.getByRole('dialog', { name: `Cancel ${title}` });
      await dialog.getByLabel('Reason').fill('Courts flooded');
      await dialog.getByRole('button', { name: 'Cancel the match' }).click();
      await page.getByText('Cancelled: Courts flooded').waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await snap(page, 'division-schedule');

      // And moves another one to a new date.
      await page.getByRole('button', { name: `Postpone ${movedTitle}`, exact: true }).click();
      const moveDialog = page.getByRole('dialog', { name: `Postpone ${movedTitle}` });
      await moveDialog.getByLabel('New date').fill('2027-04-06');
      await moveDialog.getByLabel('Start time').fill('19:30');
      await moveDialog.getByRole('button', { name: 'Move the match' }).click();
      await page.locator('.match--postponed').getByText('Moved', { exact: true }).waitFor();

      // The history says who did what.
      const row = page.locator('.match--cancelled');
      await row.getByText('History', { exact: true }).click();
      await row.getByText('Olga Organizer').first().waitFor();

      // The player reloads and sees it marked cancelled, with the reason.
      await playerPage.reload();
      const cancelled = playerPage
        .getByRole('list', { name: 'My upcoming matches' })
        .getByRole('listitem')
        .filter({ hasText: 'Cancelled: Courts flooded' });
      await cancelled.waitFor();
      await cancelled.getByText('Cancelled', { exact: true }).waitFor();
      const moved = playerPage
        .getByRole('list', { name: 'My upcoming matches' })
        .getByRole('listitem')
        .filter({ hasText: 'Moved to a new date.' });
      await moved.getByText('Moved', { exact: true }).waitFor();
      await moved.getByText(/Apr 6, 2027 · 19:30|6 Apr 2027 · 19:30/).waitFor();
      await snap(playerPage, 'dashboard-cancelled');

      // The player subscribes to their calendar; the feed marks the match cancelled.
      await playerPage.getByRole('link', { name: 'Full schedule' }).click();
      await playerPage.getByRole('heading', { level: 1, name: 'My schedule' }).waitFor();
      await playerPage.getByRole('button', { name: 'Subscribe in your calendar' }).click();
      const address = playerPage.getByRole('textbox', { name: 'Calendar feed address' });
      await address.waitFor();
      const feedUrl = await address.inputValue();
      expect(await seriousA11yViolations(playerPage)).toEqual([]);
      await snap(playerPage, 'schedule-page');
      const response = await fetch(feedUrl);
      expect(response.status).toBe(200);
      const ics = await response.text();
      expect(ics).toContain('STATUS:CANCELLED');
      const statuses = eventStatuses(ics);
      expect(statuses.size).toBe(3);
      const uid = [...statuses.keys()].find((key) => key.startsWith(first.id));
      expect(uid && statuses.get(uid)).toBe('CANCELLED');

      // The team's page has its schedule, and its members a team calendar.
      await playerPage.goto(`/teams/${teamIds[0]}`);
      const teamMatches = playerPage.getByRole('list', { name: 'Matches of Riverside Aces' });
      await teamMatches.getByText('Cancelled: Courts flooded').waitFor();
      expect(await teamMatches.getByRole('listitem').count()).toBe(3);
      expect(await teamMatches.getByRole('button', { name: /^Cancel / }).count()).toBe(0);
      await playerPage.getByRole('button', { name: 'Subscribe to the team calendar' }).click();
      const teamFeed = playerPage.getByRole('textbox', { name: 'Calendar feed address' });
      await teamFeed.waitFor();
      const teamFeedUrl = await teamFeed.inputValue();
      expect(eventStatuses(await (await fetch(teamFeedUrl)).text()).size).toBe(3);
      expect(await seriousA11yViolations(playerPage)).toEqual([]);

      // Turning the feed off stops its address.
      await playerPage.getByRole('button', { name: 'Turn this feed off' }).click();
      await playerPage.getByText('The feed is off').waitFor();
      expect((await fetch(teamFeedUrl)).status).toBe(410);

      // The league is public: signed out, the division's schedule reads the same, without actions.
      const guestContext = await harness.newContext();
      try {
        const guest = await guestContext.newPage();
        await guest.goto(`/leagues/${leagueId}/divisions/${divisionId}`);
        await guest.getByText('Cancelled: Courts flooded').waitFor();
        expect(await guest.getByRole('list', { name: /^Round \d matches$/ }).count()).toBe(3);
        expect(await guest.getByRole('button', { name: /^(Cancel|Postpone) / }).count()).toBe(0);
        expect(await guest.getByRole('button', { name: 'Build the schedule' }).count()).toBe(0);
      } finally {
        await guestContext.close();
      }
    } finally {
      await organizer.close();
      await player.close();
    }
  });
});
