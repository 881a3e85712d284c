import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../test/databases';
import { Agent, startTestApp, type TestApp } from '../test/app';
import { buildLeague, createLeagueWithDivision, createTeam, signUp } from '../test/factories';
import { bodyETag, noneMatchHits } from './http-cache';

describe('If-None-Match', () => {
  it('names the tag in a list, weak or strong, or with *', () => {
    expect(noneMatchHits('"a"', '"a"')).toBe(true);
    expect(noneMatchHits('"b", W/"a"', '"a"')).toBe(true);
    expect(noneMatchHits(' * ', '"a"')).toBe(true);
    expect(noneMatchHits('"b"', '"a"')).toBe(false);
    expect(noneMatchHits('a', '"a"')).toBe(false);
    expect(noneMatchHits(undefined, '"a"')).toBe(false);
  });

  it('tags a body by its content', () => {
    expect(bodyETag('[1]')).toBe(bodyETag(Buffer.from('[1]')));
    expect(bodyETag('[1]')).not.toBe(bodyETag('[2]'));
    expect(bodyETag('[1]')).toMatch(/^"[\w-]{27}"$/);
  });
});

describe.each(TEST_DATABASES)('revalidating public reads (%s)', (kind) => {
  let t: TestApp;
  let organizer: Agent;
  let ids: { leagueId: string; divisionId: string };

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' } });
    organizer = (await signUp(t.app, 'organizer', 'Cache Organizer')).agent;
    ids = await createLeagueWithDivision(organizer, { visibility: 'public' });
    await createTeam(organizer, ids.divisionId, 'Cache Team One');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 304 without a body while the standings are unchanged', async () => {
    const url = `/api/divisions/${ids.divisionId}/standings`;
    const first = await organizer.get(url);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toBe(bodyETag(first.body));
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toMatch(/\bCookie\b/i);

    const again = await organizer.get(url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['content-length']).toBeUndefined();

    const other = await organizer.get(url, { 'if-none-match': '"something else"' });
    expect(other.statusCode).toBe(200);
    expect(other.body).toBe(first.body);
  });

  it('gives a changed answer a new ETag, and the old one gets the whole answer', async () => {
    const url = `/api/divisions/${ids.divisionId}/teams`;
    const before = await organizer.get(url);
    const etag = before.headers.etag as string;
    expect((await organizer.get(url, { 'if-none-match': etag })).statusCode).toBe(304);

    await createTeam(organizer, ids.divisionId, 'Cache Team Two');
    const after = await organizer.get(url, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().map((team: { name: string }) => team.name)).toContain('Cache Team Two');
  });

  it('gives a page a new ETag when a next page appears, though its rows are the same', async () => {
    const create = (name: string) =>
      organizer.send('POST', '/api/leagues', buildLeague({ name, visibility: 'public' }));
    expect((await create('Etag Paging Alpha')).statusCode).toBe(201);
    const url = '/api/leagues?q=etag%20paging&limit=1';
    const before = await organizer.get(url);
    expect(before.headers.link).toBeUndefined();

    expect((await create('Etag Paging Beta')).statusCode).toBe(201);
    const after = await organizer.get(url, { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.body).toBe(before.body);
    expect(after.headers.link).toMatch(/rel="next"/);
  });

  it('is public signed out, and never revalidates an error', async () => {
    const stranger = new Agent(t.app);
    const board = await stranger.get('/api/leaderboards?sport=tennis&kind=singles');
    expect(board.statusCode).toBe(200);
    expect(board.headers['cache-control']).toBe('public, no-cache');
    expect(board.headers.vary).toMatch(/\bCookie\b/i);

    const missing = await stranger.get(
      '/api/divisions/00000000-0000-4000-8000-000000000000/standings',
      { 'if-none-match': '*' },
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });

  it('keeps the row version as the ETag where If-Match takes it', async () => {
    const league = await organizer.get(`/api/leagues/${ids.leagueId}`);
    expect(league.headers.etag).toBe(`"${league.json().version as number}"`);
    const same = await organizer.get(`/api/leagues/${ids.leagueId}`, {
      'if-none-match': league.headers.etag as string,
    });
    expect(same.statusCode).toBe(200);
  });
});
