import { expect } from 'vitest';
import type { Agent, TestApp } from './app';
import { buildLeague, createLeagueWithDivision, createTeam, signUp } from './factories';

/** The test apps of the scheduling tests: no rate limits in the way of their many requests. */

/** The date `offset` days from today (UTC), as `YYYY-MM-DD`. */
export const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The first Tuesday from `offset` days ahead: the test venues open on Tuesdays and Thursdays. */
export const tuesday = (offset: number) =>
  plusDays(day(offset), (9 - new Date(`${day(offset)}T12:00:00Z`).getUTCDay()) % 7);

export const evenings = ['tue', 'thu'].map((weekday) => ({ weekday, from: '17:00', to: '23:00' }));

/** The public "Scheduling League": one division, four teams, two venues, no matches yet. */
export interface SchedulingLeague {
  organizer: Agent;
  /** Pia Player, who joined Aces by invite link. */
  player: Agent;
  /** The captain of Aces. */
  captain: Agent;
  leagueId: string;
  divisionId: string;
  /** Aces, Baseliners, Cross Courts, Dropshots. */
  teamIds: string[];
  /** North Courts and South Courts, 6 courts each, open Tuesday and Thursday evenings. */
  venueIds: string[];
  /** The schedule settings the tests draft and publish with. */
  settings: () => {
    startsOn: string;
    endsOn: string;
    matchDays: string[];
    timeSlots: string[];
    matchMinutes: number;
    courtsPerMatch: number;
    homeVenues: { teamId: string; venueId: string }[];
  };
}

/** Builds the Scheduling League through the API, as Olga Organizer. */
export async function buildSchedulingLeague(t: TestApp): Promise<SchedulingLeague> {
  const organizer = (await signUp(t.app, 'organizer', 'Olga Organizer')).agent;
  const league = (
    await organizer.send(
      'POST',
      '/api/leagues',
      buildLeague({ name: 'Scheduling League', visibility: 'public' }),
    )
  ).json();
  const season = (
    await organizer.send('POST', `/api/leagues/${league.id}/seasons`, {
      name: 'This season',
      startsOn: day(1),
      endsOn: day(150),
    })
  ).json();
  const divisionId = (
    await organizer.send('POST', `/api/seasons/${season.id}/divisions`, { name: 'Div A' })
  ).json().id as string;
  const teamIds: string[] = [];
  let captain: Agent | undefined;
  for (const name of ['Aces', 'Baseliners', 'Cross Courts', 'Dropshots']) {
    const teamCaptain = await signUp(t.app, 'captain', `${name} Captain`);
    if (name === 'Aces') captain = teamCaptain.agent;
    teamIds.push(await createTeam(teamCaptain.agent, divisionId, name));
  }
  const aces = captain as Agent;
  const invite = (
    await aces.send('POST', `/api/teams/${teamIds[0]}/invites`, { kind: 'link' })
  ).json();
  const player = (await signUp(t.app, 'player', 'Pia Player')).agent;
  const token = new URL(invite.url).pathname.split('/').pop();
  expect((await player.send('POST', `/api/invites/${token}/accept`)).statusCode).toBe(200);
  const venueIds: string[] = [];
  for (const name of ['North Courts', 'South Courts']) {
    const venue = await organizer.send('POST', `/api/leagues/${league.id}/venues`, {
      name,
      address: `${name} Road 1`,
      courts: 6,
      availability: evenings,
    });
    expect(venue.statusCode).toBe(201);
    venueIds.push(venue.json().id);
  }
  return {
    organizer,
    player,
    captain: aces,
    leagueId: league.id,
    divisionId,
    teamIds,
    venueIds,
    settings: () => ({
      startsOn: day(7),
      endsOn: day(120),
      matchDays: ['tue', 'thu'],
      timeSlots: ['18:00', '20:00'],
      matchMinutes: 120,
      courtsPerMatch: 3,
      homeVenues: teamIds.map((teamId, i) => ({ teamId, venueId: venueIds[i % 2] as string })),
    }),
  };
}

/** Drafts the league's schedule with its settings and publishes that draft: six matches. */
export async function publishSchedule(league: SchedulingLeague): Promise<void> {
  const { organizer, divisionId, settings } = league;
  const draft = (
    await organizer.send('POST', `/api/divisions/${divisionId}/schedule/draft`, settings())
  ).json();
  const published = await organizer.send('POST', `/api/divisions/${divisionId}/schedule/publish`, {
    ...settings(),
    draftHash: draft.draftHash,
  });
  expect(published.json()).toEqual({ created: 6, moved: 0, kept: 0 });
}

/**
 * The player's first match, postponed to the Tuesday 60 days ahead at 19:30 and then cancelled
 * ("Courts flooded"): the match's calendar SEQUENCE is 2. Returns the match as it was before.
 */
export async function postponeThenCancelFirst(
  league: SchedulingLeague,
): Promise<{ id: string; date: string; startTime: string }> {
  const { organizer, player } = league;
  const [match] = (await player.get('/api/me/matches')).json();
  const moved = await organizer.send('POST', `/api/matches/${match.id}/postpone`, {
    date: tuesday(60),
    startTime: '19:30',
  });
  expect(moved.statusCode).toBe(200);
  const cancelled = await organizer.send('POST', `/api/matches/${match.id}/cancel`, {
    reason: 'Courts flooded',
  });
  expect(cancelled.json()).toMatchObject({ status: 'cancelled', sequence: 2 });
  return match;
}

/**
 * A public league with two divisions, A and B (`Div B`), and these teams in them, each made by its
 * own captain: the divisions' ids and the teams' ids by name.
 */
export async function twoDivisions(
  t: TestApp,
  organizer: Agent,
  names: Record<'A' | 'B', string[]>,
) {
  const league = await createLeagueWithDivision(organizer, { visibility: 'public' });
  const divisions = {
    A: league.divisionId,
    B: (
      await organizer.send('POST', `/api/seasons/${league.seasonId}/divisions`, { name: 'Div B' })
    ).json().id as string,
  };
  const ids: Record<string, string> = {};
  for (const division of ['A', 'B'] as const) {
    for (const name of names[division]) {
      const owner = await signUp(t.app, 'captain', `${name} Captain`);
      ids[name] = await createTeam(owner.agent, divisions[division], name);
    }
  }
  return { leagueId: league.leagueId, divisions, ids };
}
