import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DivisionInput, League, LeagueInput, SeasonInput } from '#domain/schemas/leagues';
import type { Match } from '#domain/schemas/matches';
import type { Team, TeamInput } from '#domain/schemas/teams';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import type { Role } from '#domain/schemas/me';
import type { Harness } from './harness';

/** The role choices of the onboarding form, by their labels. */
const ROLE_CHOICE: Record<Role, string> = {
  player: 'Player',
  captain: 'Team captain',
  organizer: 'League organizer',
};

/**
 * Onboarding through the forms, for a user the provider has just sent to the profile step; the
 * page ends wherever the app goes next (the dashboard, or the link the user started from).
 */
export async function completeOnboarding(page: Page, displayName: string, role: Role) {
  await page.waitForURL('**/onboarding/profile**');
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('City or club').fill('Riverside Tennis Club');
  await page.getByLabel('Tennis', { exact: true }).check();
  await page.getByLabel('Tennis level').selectOption('intermediate');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.waitForURL('**/onboarding/role**');
  await page.getByLabel(ROLE_CHOICE[role], { exact: true }).check();
  // Not "Save and continue", the profile step's button, should that page still be on its way out.
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
}

/** A new user signs in through the provider and onboards with the forms; ends on the dashboard. */
export async function signUpWithForms(
  harness: Harness,
  page: Page,
  user: { sub: string; displayName: string; role: Role },
) {
  harness.oidc.signInAs({ sub: user.sub, email: `${user.sub}@example.com`, email_verified: true });
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await completeOnboarding(page, user.displayName, user.role);
  await page.getByRole('heading', { level: 1, name: `Hello, ${user.displayName}` }).waitFor();
}

/**
 * A call to the API from the page, with the session cookie and the CSRF header, as the app makes
 * it: for setting up what a journey is not about.
 */
export async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie
        .split(';')
        .map((part) => part.trim().split('='))
        .find(([name]) => name === 'rally_csrf')?.[1];
      const response = await fetch(path, {
        method,
        headers: {
          // A content type without a body is refused, as the app's own client knows.
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          'x-csrf-token': decodeURIComponent(csrf ?? ''),
          'idempotency-key': crypto.randomUUID(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, text };
    },
    { method, path, body },
  );
  if (result.status >= 400) throw new Error(`${method} ${path}: ${result.status} ${result.text}`);
  return (result.text ? JSON.parse(result.text) : undefined) as T;
}

/** A new user signs in through the provider and onboards through the API: a quick set-up. */
export async function signUpWithApi(
  harness: Harness,
  page: Page,
  user: { sub: string; displayName: string; role: Role },
) {
  harness.oidc.signInAs({ sub: user.sub, email: `${user.sub}@example.com`, email_verified: true });
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await page.waitForURL('**/onboarding/profile**');
  await api(page, 'PUT', '/api/me/profile', {
    displayName: user.displayName,
    cityOrClub: 'Riverside Tennis Club',
    sports: [{ sport: 'tennis', level: 'intermediate' }],
  });
  await api(page, 'PUT', '/api/me/role', { role: user.role });
}

/** A public league with one open season and one division, made by an organizer through the API. */
export async function createLeagueWithDivision(page: Page, name: string) {
  const league = await api<League>(page, 'POST', '/api/leagues', {
    name,
    sport: 'tennis',
    visibility: 'public',
    format: DEFAULT_MATCH_FORMAT,
    rosterMin: 2,
    rosterMax: 8,
  } satisfies LeagueInput);
  const season = await api<{ id: string }>(page, 'POST', `/api/leagues/${league.id}/seasons`, {
    name: 'Spring 2027',
    startsOn: '2027-03-01',
    endsOn: '2027-06-30',
    registrationOpen: true,
  } satisfies SeasonInput);
  const division = await api<{ id: string }>(page, 'POST', `/api/seasons/${season.id}/divisions`, {
    name: '3.5 Mixed',
  } satisfies DivisionInput);
  return { leagueId: league.id, seasonId: season.id, divisionId: division.id };
}

/** A team made through the API by a captain; they become its captain. */
export function createTeam(page: Page, divisionId: string, input: TeamInput) {
  return api<Team>(page, 'POST', `/api/divisions/${divisionId}/teams`, input);
}

/** Today in UTC, as the server's `today()` sees it: a match on it may take a result at once. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * A public league with one season (around today) and one division, in a given match format, made
 * by an organizer through the API.
 */
export async function createLeagueWithFormat(
  page: Page,
  name: string,
  format: LeagueInput['format'],
) {
  const league = await api<League>(page, 'POST', '/api/leagues', {
    name,
    sport: 'tennis',
    visibility: 'public',
    format,
    rosterMin: 1,
    rosterMax: 8,
  } satisfies LeagueInput);
  const year = Number(todayUtc().slice(0, 4));
  const season = await api<{ id: string }>(page, 'POST', `/api/leagues/${league.id}/seasons`, {
    name: `Season ${year}`,
    startsOn: `${year - 1}-01-01`,
    endsOn: `${year + 1}-12-31`,
    registrationOpen: true,
  } satisfies SeasonInput);
  const division = await api<{ id: string }>(page, 'POST', `/api/seasons/${season.id}/divisions`, {
    name: 'Open',
  } satisfies DivisionInput);
  return { leagueId: league.id, seasonId: season.id, divisionId: division.id };
}

/** A new player signs up through the API in their own page and joins a team by its invite link. */
export async function signUpAndJoin(
  harness: Harness,
  page: Page,
  user: { sub: string; displayName: string },
  inviteUrl: string,
) {
  await signUpWithApi(harness, page, { ...user, role: 'player' });
  const token = new URL(inviteUrl).pathname.split('/').pop();
  await api(page, 'POST', `/api/invites/${token}/accept`);
}

/**
 * The writes queued offline that the app has stored in IndexedDB (idb-keyval's default store),
 * where they outlive the tab: the key's first part and the variables of each, as JSON.
 */
function storedQueue(page: Page): Promise<{ key: string; variables: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ key: string; variables: string }[]>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onupgradeneeded = () => open.result.createObjectStore('keyval');
        open.onsuccess = () => {
          const db = open.result;
          const read = db
            .transaction('keyval')
            .objectStore('keyval')
            .get('rally-connect:query-cache');
          read.onsuccess = () => {
            db.close();
            const stored: unknown = read.result;
            const client = (typeof stored === 'string' ? JSON.parse(stored) : stored) as {
              clientState?: {
                mutations?: { mutationKey?: unknown[]; state?: { variables?: unknown } }[];
              };
            } | null;
            resolve(
              (client?.clientState?.mutations ?? []).map((m) => ({
                key: String(m.mutationKey?.[0] ?? ''),
                variables: JSON.stringify(m.state?.variables ?? null),
              })),
            );
          };
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

/**
 * Waits until a write queued offline (its mutation key's first part, and text its variables
 * contain) is stored on the device, so that it survives closing the tab. The app writes the
 * query cache, and the queue with it, about once a second: later on a loaded machine, so a fixed
 * pause is not enough.
 */
export async function waitForStoredWrite(page: Page, key: string, containing = '') {
  await expect
    .poll(
      async () =>
        (await storedQueue(page)).some((m) => m.key === key && m.variables.includes(containing)),
      { timeout: 15_000, interval: 100 },
    )
    .toBe(true);
}

/**
 * Set-up through the API for a result journey: an organizer's public league in this format, a
 * captain's team on each side ("Home Hitters" and "Away Aces", Hana Home and Abe Away) and a
 * match between them today, so that it may take a result at once. `prefix` keeps each journey's
 * users apart.
 */
export async function matchTodayWithApi(
  harness: Harness,
  pages: { organizer: Page; home: Page; away: Page },
  options: { prefix: string; league: string; format: LeagueInput['format'] },
) {
  const { organizer, home, away } = pages;
  await signUpWithApi(harness, organizer, {
    sub: `${options.prefix}-ora`,
    displayName: 'Ora Organizer',
    role: 'organizer',
  });
  const { leagueId, divisionId } = await createLeagueWithFormat(
    organizer,
    options.league,
    options.format,
  );
  await signUpWithApi(harness, home, {
    sub: `${options.prefix}-hana`,
    displayName: 'Hana Home',
    role: 'captain',
  });
  await signUpWithApi(harness, away, {
    sub: `${options.prefix}-abe`,
    displayName: 'Abe Away',
    role: 'captain',
  });
  const homeTeam = await createTeam(home, divisionId, { name: 'Home Hitters' });
  const awayTeam = await createTeam(away, divisionId, { name: 'Away Aces' });
  const match = await api<Match>(organizer, 'POST', `/api/divisions/${divisionId}/matches`, {
    homeTeamId: homeTeam.id,
    awayTeamId: awayTeam.id,
    date: todayUtc(),
    startTime: '00:00',
    durationMinutes: 120,
  });
  return { leagueId, divisionId, homeTeam, awayTeam, match };
}

/** The cells of a table row found by its row header (a team or player name). */
export async function rowCells(table: Locator, name: string): Promise<string[]> {
  const row = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name }) });
  await row.waitFor();
  return (await row.locator('th, td').allTextContents()).map((t) => t.trim());
}
