import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Team } from '#domain/schemas/teams';
import type { PlayerPage } from '#domain/schemas/players';
import { seriousA11yViolations, startHarness, type Harness } from './harness';
import { api, matchTodayWithApi, rowCells, signUpAndJoin, waitForStoredWrite } from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** One singles and one doubles line, best of three with a match tiebreak. */
const FORMAT = {
  lines: [
    { kind: 'singles' as const, count: 1 },
    { kind: 'doubles' as const, count: 1 },
  ],
  bestOfSets: 3 as const,
  gamesPerSet: 6,
  tiebreakAt: 6,
  finalSet: 'match_tiebreak' as const,
  noAd: false,
  teamMatchWinner: 'lines' as const,
};

async function standingsTable(page: Page, leagueId: string, divisionId: string) {
  await page.goto(`/leagues/${leagueId}/divisions/${divisionId}`);
  const table = page.getByRole('table', { name: 'Standings of Open' });
  await table.waitFor();
  return table;
}

/** Types the games of a set into the score form, by the boxes' accessible names. */
async function typeSet(page: Page, line: string, set: string, home: string, away: string) {
  await page.getByLabel(`${line}, ${set}, home`).fill(home);
  await page.getByLabel(`${line}, ${set}, away`).fill(away);
}

describe('results journey', () => {
  it('a captain enters the score, the other confirms, and standings, leaderboard and players change', async () => {
    const names = ['org', 'home', 'away', 'hugo', 'hedy', 'ava', 'axel'] as const;
    const contexts = await Promise.all(names.map(() => harness.newContext()));
    try {
      const pages = await Promise.all(contexts.map((c) => c.newPage()));
      const [organizer, , away, hugo, hedy, ava, axel] = pages;
      let home = pages[1] as Page;
      if (!organizer || !home || !away || !hugo || !hedy || !ava || !axel) throw new Error('pages');
      // The chart library must live with the strict CSP (no inline styles or scripts).
      const cspErrors: string[] = [];
      away.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
      });

      // Set-up through the API: a league, two teams of three, and a match today (it may take a
      // result from today on).
      const { leagueId, divisionId, homeTeam, awayTeam, match } = await matchTodayWithApi(
        harness,
        { organizer, home, away },
        { prefix: 'e2e-res', league: 'Results League', format: FORMAT },
      );
      const homeInvite = await api<{ url: string }>(
        home,
        'POST',
        `/api/teams/${homeTeam.id}/invites`,
        { kind: 'link' },
      );
      const awayInvite = await api<{ url: string }>(
        away,
        'POST',
        `/api/teams/${awayTeam.id}/invites`,
        { kind: 'link' },
      );
      await signUpAndJoin(
        harness,
        hugo,
        { sub: 'e2e-res-hugo', displayName: 'Hugo Home' },
        homeInvite.url,
      );
      await signUpAndJoin(
        harness,
        hedy,
        { sub: 'e2e-res-hedy', displayName: 'Hedy Home' },
        homeInvite.url,
      );
      await signUpAndJoin(
        harness,
        ava,
        { sub: 'e2e-res-ava', displayName: 'Ava Away' },
        awayInvite.url,
      );
      await signUpAndJoin(
        harness,
        axel,
        { sub: 'e2e-res-axel', displayName: 'Axel Away' },
        awayInvite.url,
      );
      const team = await api<Team>(home, 'GET', `/api/teams/${homeTeam.id}`);
      const hugoId = team.members.find((m) => m.displayName === 'Hugo Home')?.userId as string;
      const awayRoster = await api<Team>(away, 'GET', `/api/teams/${awayTeam.id}`);
      const avaId = awayRoster.members.find((m) => m.displayName === 'Ava Away')?.userId as string;

      // Before: nothing played, nobody rated.
      let table = await standingsTable(home, leagueId, divisionId);
      expect((await rowCells(table, 'Home Hitters')).slice(2, 7)).toEqual([
        '0',
        '0',
        '0',
        '0',
        '0',
      ]);
      await home.goto(`/leaderboards?leagueId=${leagueId}&kind=singles`);
      await home.getByText('No rated players match these filters yet.').waitFor();
      await home.goto(`/players/${hugoId}`);
      await home.getByText('No rated matches yet.').waitFor();

      // The home captain opens the match from the division's schedule and enters the score.
      table = await standingsTable(home, leagueId, divisionId);
      await home.getByRole('link', { name: /^Match page of Home Hitters vs Away Aces/ }).click();
      await home.getByRole('heading', { level: 1, name: 'Home Hitters vs Away Aces' }).waitFor();
      await home.getByText('No score has been entered for this match yet.').waitFor();
      await home.getByRole('button', { name: 'Enter the score' }).click();
      await home.getByLabel('Singles line 1, home player').selectOption({ label: 'Hugo Home' });
      await home.getByLabel('Singles line 1, away player').selectOption({ label: 'Ava Away' });
      await home.getByLabel('Doubles line 1, home player 1').selectOption({ label: 'Hana Home' });
      await home.getByLabel('Doubles line 1, home player 2').selectOption({ label: 'Hedy Home' });
      await home.getByLabel('Doubles line 1, away player 1').selectOption({ label: 'Abe Away' });
      await home.getByLabel('Doubles line 1, away player 2').selectOption({ label: 'Axel Away' });
      await typeSet(home, 'Singles line 1', 'set 1', '6', '3');
      // An unfinished set is caught before it is sent, and shown at its box.
      await typeSet(home, 'Singles line 1', 'set 2', '6', '5');
      await typeSet(home, 'Doubles line 1', 'set 1', '4', '6');
      await typeSet(home, 'Doubles line 1', 'set 2', '6', '3');
      await home.getByLabel('Doubles line 1, match tiebreak, home points').fill('10');
      await home.getByLabel('Doubles line 1, match tiebreak, away points').fill('7');
      await home.getByRole('button', { name: 'Send the score' }).click();
      const summary = home.getByRole('alert').filter({ hasText: 'Please fix' });
      await summary.getByRole('link', { name: /^Singles line 1, set 2, home games:/ }).waitFor();
      expect(
        await home.getByLabel('Singles line 1, set 2, home games').getAttribute('aria-invalid'),
      ).toBe('true');
      expect(await seriousA11yViolations(home)).toEqual([]);
      await home.getByLabel('Singles line 1, set 2, away games').fill('4');
      // No signal at the courts: a score can wait (DESIGN §5). The captain even closes the tab;
      // the queued score is kept on the device and sent when the app opens again online.
      await contexts[1]?.setOffline(true);
      await home.getByRole('button', { name: 'Send the score' }).click();
      await home
        .getByText('Your score is kept on this device and sent when you are back online.')
        .waitFor();
      await waitForStoredWrite(home, 'result-entry');
      await home.close();
      await contexts[1]?.setOffline(false);
      home = await (contexts[1] as BrowserContext).newPage();
      await home.goto(`/matches/${match.id}`);
      await home.getByText('Waiting for confirmation', { exact: true }).waitFor();
      await home.getByText(/^Confirm by /).waitFor();
      const entered = home.getByRole('table', { name: 'Entered result' });
      expect(await rowCells(entered, 'Singles line 1')).toEqual([
        'Singles line 1',
        'Hugo Home ✓ (won)',
        'Ava Away',
        '6-3 6-4',
      ]);
      await home.getByRole('button', { name: 'Re-enter the score' }).waitFor();

      // The away captain confirms it.
      await away.goto(`/matches/${match.id}`);
      await away.getByText('Waiting for confirmation', { exact: true }).waitFor();
      expect(await seriousA11yViolations(away)).toEqual([]);
      // Confirming cannot wait: offline the button is disabled and says why.
      await contexts[2]?.setOffline(true);
      const confirm = away.getByRole('button', { name: 'Confirm the result' });
      const needsConnection = away.getByText(
        /^Confirming, disputing, settling and correcting a result need a connection/,
      );
      await needsConnection.waitFor();
      expect(await confirm.isDisabled()).toBe(true);
      await contexts[2]?.setOffline(false);
      await needsConnection.waitFor({ state: 'detached' });
      await confirm.click();
      await away.getByText('Done: the result is updated.').waitFor();
      await away.getByText('Final', { exact: true }).waitFor();
      const history = away.getByRole('list', { name: 'Result history' });
      await history.getByText('Score entered', { exact: true }).waitFor();
      await history.getByText('Confirmed', { exact: true }).waitFor();

      // After: the standings count the match…
      table = await standingsTable(away, leagueId, divisionId);
      expect(await rowCells(table, 'Home Hitters')).toEqual([
        '1',
        'Home Hitters',
        '1',
        '1',
        '0',
        '0',
        '2',
        '2–0',
        '4–1',
        '23–16',
      ]);
      expect((await rowCells(table, 'Away Aces')).slice(0, 7)).toEqual([
        '2',
        'Away Aces',
        '1',
        '0',
        '1',
        '0',
        '0',
      ]);
      expect(await seriousA11yViolations(away)).toEqual([]);
      // …the division's schedule shows the score in lines…
      await away
        .getByRole('listitem')
        .filter({ hasText: 'Home Hitters vs Away Aces' })
        .getByText('2–0', { exact: true })
        .waitFor();

      // …the leaderboard ranks the singles players by their new ratings…
      const hugoPage = await api<PlayerPage>(away, 'GET', `/api/players/${hugoId}`);
      const avaPage = await api<PlayerPage>(away, 'GET', `/api/players/${avaId}`);
      const hugoSingles = hugoPage.ratings.find((r) => r.kind === 'singles');
      const avaSingles = avaPage.ratings.find((r) => r.kind === 'singles');
      expect(hugoSingles && avaSingles && hugoSingles.rating > avaSingles.rating).toBe(true);
      await away.goto(`/leaderboards?leagueId=${leagueId}&kind=singles`);
      const board = away.getByRole('table', { name: 'Tennis singles leaderboard' });
      await board.waitFor();
      const hugoRow = await rowCells(board, 'Hugo Home');
      expect(hugoRow[0]).toBe('1');
      expect(hugoRow[2]).toContain(String(Math.round(hugoSingles?.rating ?? 0)));
      expect(hugoRow.slice(3, 5)).toEqual(['1', '1–0']);
      const avaRow = await rowCells(board, 'Ava Away');
      expect(avaRow[0]).toBe('2');
      expect(avaRow.slice(3, 5)).toEqual(['1', '0–1']);
      expect(await seriousA11yViolations(away)).toEqual([]);

      // …and both players' histories explain the move.
      await away.getByRole('link', { name: 'Hugo Home' }).click();
      await away.getByRole('heading', { level: 1, name: 'Hugo Home' }).waitFor();
      const hugoMoves = away.getByRole('list', { name: 'Rated lines, newest first' });
      await hugoMoves.getByText(/Won 6-3 6-4 against Ava Away/).waitFor();
      const hugoPoint = hugoPage.history.find((p) => p.kind === 'singles');
      expect(hugoPoint?.won).toBe(true);
      const hugoText = await hugoMoves.textContent();
      expect(hugoText).toContain(
        `Hugo Home was expected to win ${Math.round((hugoPoint?.why.expected ?? 0) * 100)}%.`,
      );
      expect(hugoText).toContain(
        `${Math.round(hugoPoint?.before ?? 0)} to ${Math.round(hugoPoint?.after ?? 0)}`,
      );
      expect(await seriousA11yViolations(away)).toEqual([]);
      // The chart (loaded on demand) is drawn, described in words, and its points are in a table.
      await away.locator('.rating-chart__plot svg.recharts-surface').waitFor();
      await away
        .getByRole('img', { name: /^Rating history of Hugo Home: 1 rated line from/ })
        .waitFor();
      await away.getByText('The rating history as a table').click();
      await away.getByRole('table', { name: 'Rating history of Hugo Home' }).waitFor();
      expect(cspErrors).toEqual([]);

      await ava.goto(`/players/${avaId}`);
      await ava.getByRole('heading', { level: 1, name: 'Ava Away' }).waitFor();
      const avaMoves = ava.getByRole('list', { name: 'Rated lines, newest first' });
      await avaMoves
        .getByText(/Lost 6-3 6-4 against Hugo Home|Lost 3-6 4-6 against Hugo Home/)
        .waitFor();
      expect(await avaMoves.textContent()).toContain('You were expected to win');
      const avaPoint = avaPage.history.find((p) => p.kind === 'singles');
      expect((avaPoint?.after ?? 0) < (avaPoint?.before ?? 0)).toBe(true);
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  }, 150_000);
});
