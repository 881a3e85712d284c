import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import {
  buildSchedulingLeague,
  postponeThenCancelFirst,
  publishSchedule,
} from '../../test/schedule-factory';

/** The VEVENTs of an iCal text, read with a real iCal parser. */
function events(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((e) => ({
    uid: String(e.getFirstPropertyValue('uid')),
    sequence: Number(e.getFirstPropertyValue('sequence') ?? 0),
    status: e.getFirstPropertyValue('status'),
    summary: e.getFirstPropertyValue('summary'),
    location: e.getFirstPropertyValue('location'),
    start: String(e.getFirstPropertyValue('dtstart')),
  }));
}

describe.each(TEST_DATABASES)('calendar feeds on %s', (kind) => {
  let t: TestApp;
  let organizer: Agent;
  let player: Agent;
  let teamIds: string[];

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    const league = await buildSchedulingLeague(t);
    ({ organizer, player, teamIds } = league);
    // The published schedule (schedule.test.ts), the player's first match postponed and then
    // cancelled (matches.test.ts): three matches in the player's feed, one cancelled at SEQUENCE 2.
    await publishSchedule(league);
    await postponeThenCancelFirst(league);
  });
  afterAll(async () => t?.close());

  it("a player's calendar feed has stable UIDs, counts changes and shows cancellations", async () => {
    const feed = await player.send('POST', '/api/me/calendar');
    expect(feed.statusCode).toBe(201);
    const path = new URL(feed.json().url).pathname;
    const anonymous = new Agent(t.app);
    const first = await anonymous.get(path);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/calendar');
    const before = events(first.body);
    expect(before).toHaveLength(3);
    expect(new Set(before.map((e) => e.uid)).size).toBe(3);
    const cancelled = before.find((e) => e.status === 'CANCELLED');
    expect(cancelled).toMatchObject({ sequence: 2, summary: expect.stringContaining(' vs ') });
    const confirmed = before.find((e) => e.status === 'CONFIRMED');
    expect(confirmed?.location).toMatch(/Courts, (North|South) Courts Road 1$/);

    const [next] = (await player.get('/api/me/matches'))
      .json()
      .filter((m: { status: string }) => m.status === 'scheduled');
    await organizer.send('POST', `/api/matches/${next.id}/cancel`, { reason: 'Tournament clash' });
    const after = events((await anonymous.get(path)).body);
    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort());
    expect(after.find((e) => e.uid?.startsWith(next.id))).toMatchObject({
      status: 'CANCELLED',
      sequence: 1,
    });

    const listed = (await player.get('/api/me/calendar-feeds')).json();
    expect(listed).toEqual([
      { id: feed.json().id, teamId: null, teamName: null, createdAt: expect.any(String) },
    ]);
    expect((await player.send('DELETE', `/api/calendar-feeds/${feed.json().id}`)).statusCode).toBe(
      204,
    );
    expect((await player.get('/api/me/calendar-feeds')).json()).toEqual([]);
    expect((await anonymous.get(path)).statusCode).toBe(410);
    expect((await anonymous.get('/api/calendar/not-a-token.ics')).statusCode).toBe(400);
  });

  it('a team feed is for its members only', async () => {
    expect((await player.send('POST', `/api/teams/${teamIds[1]}/calendar`)).statusCode).toBe(403);
    const feed = await player.send('POST', `/api/teams/${teamIds[0]}/calendar`);
    expect(feed.statusCode).toBe(201);
    const ics = (await new Agent(t.app).get(new URL(feed.json().url).pathname)).body;
    const teamMatches = (await player.get(`/api/teams/${teamIds[0]}/matches`)).json();
    expect(
      events(ics)
        .map((e) => e.uid.split('@')[0])
        .sort(),
    ).toEqual(teamMatches.map((m: { id: string }) => m.id).sort());
  });
});
