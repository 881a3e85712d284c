import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '#domain/schemas/me';
import { startHarness, type Harness } from './harness';
import { api, createLeagueWithDivision, createTeam, signUpWithApi } from './steps';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/**
 * Opens a page and waits until it has settled: its heading shown, nothing left loading, and no
 * request in flight for half a second (Playwright's `networkidle`). Answers the API requests the
 * visit made, by path.
 */
async function visit(page: Page, path: string, heading: string): Promise<Map<string, number>> {
  const requests = new Map<string, number>();
  const count = (url: string) => {
    const { pathname } = new URL(url);
    if (pathname.startsWith('/api/')) requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
  };
  page.on('request', (request) => count(request.url()));
  try {
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' });
    await page.waitForLoadState('networkidle');
  } finally {
    page.removeAllListeners('request');
  }
  return requests;
}

describe('signed-out visitor journey', () => {
  it('public pages load once for a signed-out visitor, without refetching in a loop', async () => {
    // Set-up through the API: an organizer's public league with a team in it.
    const setupContext = await harness.newContext();
    const setup = await setupContext.newPage();
    await signUpWithApi(harness, setup, {
      sub: 'e2e-olive',
      displayName: 'Olive Organizer',
      role: 'organizer',
    });
    const { leagueId, divisionId } = await createLeagueWithDivision(setup, 'Lakeside League');
    const team = await createTeam(setup, divisionId, { name: 'Lakeside Lobs' });
    const organizer = await api<Me>(setup, 'GET', '/api/me');
    await setupContext.close();

    const context = await harness.newContext();
    try {
      const page = await context.newPage();

      // Issue #10, finding 6: this page fetched /api/me, /api/leagues and /api/leaderboards about
      // 220 times in 9 s, stuck on "Loading…", until the visitor's rate limit ran out.
      const board = await visit(page, '/leaderboards', 'Leaderboards');
      await page.getByText('No rated players match these filters yet.').waitFor();
      expect(Math.max(...board.values())).toBeLessThanOrEqual(2);
      expect(board.get('/api/leaderboards')).toBe(1);

      const pages: [string, string][] = [
        ['/leagues', 'Leagues'],
        [`/leagues/${leagueId}`, 'Lakeside League'],
        [`/leagues/${leagueId}/divisions/${divisionId}`, '3.5 Mixed'],
        [`/teams/${team.id}`, 'Lakeside Lobs'],
        [`/players/${organizer.id}`, 'Olive Organizer'],
      ];
      for (const [path, heading] of pages) {
        const requests = await visit(page, path, heading);
        expect({ path, most: Math.max(...requests.values()) }).toEqual({ path, most: 1 });
      }
    } finally {
      await context.close();
    }
  });
});
