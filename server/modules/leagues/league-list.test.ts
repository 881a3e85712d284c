import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT, type LeagueSummary } from '#domain/schemas/leagues';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../../test/app';
import { TEST_DATABASES } from '../../test/databases';
import {
  buildLeague,
  createLeagueWithDivision,
  createTeam,
  expectStatus,
  signUp,
} from '../../test/factories';

/** Public leagues of a stranger, all named to sort before anybody's own (issue #12's case). */
const CROWD = 250;

/** The `rel="next"` address of a `Link` header, if any. */
function nextLink(header: unknown): string | undefined {
  return /<([^>]*)>\s*;\s*rel="next"/.exec(String(header ?? ''))?.[1];
}

/** Every page from `url` on, following the Link header; `between` runs after the first page. */
async function walk(
  agent: Agent,
  url: string,
  between?: () => Promise<void>,
): Promise<{ leagues: LeagueSummary[]; pages: number }> {
  const leagues: LeagueSummary[] = [];
  let pages = 0;
  for (let next: string | undefined = url; next !== undefined; pages += 1) {
    const response = await agent.get(next);
    expectStatus(response, 200, `GET ${next}`);
    leagues.push(...(response.json() as LeagueSummary[]));
    next = nextLink(response.headers.link);
    if (pages === 0) await between?.();
    if (pages > 100) throw new Error('the Link header never ends');
  }
  return { leagues, pages };
}

describe.each(TEST_DATABASES)('the league list on %s', (kind) => {
  let t: TestApp;
  let organizer: { agent: Agent; id: string };
  let stranger: { agent: Agent; id: string };
  let captain: { agent: Agent; id: string };
  let own: { westside: string; zulu: string; yonder: string; hidden: string };

  /** The list as the database's owner orders it for this user: the oracle the pages must match. */
  async function expected(userId: string | null, ownIds: string[]): Promise<string[]> {
    const mine = ownIds.length > 0 ? ownIds : ['00000000-0000-4000-8000-000000000000'];
    const rows = await t.app.db.owner
      .selectFrom('leagues')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('visibility', '=', 'public'),
          eb('id', 'in', mine),
          ...(userId ? [eb('createdBy', '=', userId)] : []),
        ]),
      )
      .orderBy(sql`id in (${sql.join(mine)})`, 'desc')
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
    organizer = await signUp(t.app, 'organizer', 'Wanda Westside');
    stranger = await signUp(t.app, 'organizer', 'Sam Stranger');
    captain = await signUp(t.app, 'captain', 'Cal Captain');
    const create = async (agent: Agent, name: string, visibility: 'public' | 'private') => {
      const response = await agent.send('POST', '/api/leagues', buildLeague({ name, visibility }));
      expectStatus(response, 201, `create ${name}`);
      return response.json().id as string;
    };
    own = {
      westside: await create(organizer.agent, 'Westside Own League', 'public'),
      zulu: await create(organizer.agent, 'Zulu Own League', 'private'),
      hidden: await create(stranger.agent, 'Aardvark Private League', 'private'),
      yonder: '',
    };
    // The captain plays in a stranger's public league by captaining a team in it.
    const yonder = await createLeagueWithDivision(stranger.agent, { visibility: 'public' });
    await stranger.agent.send('PATCH', `/api/leagues/${yonder.leagueId}`, {
      name: 'Yonder Public League',
    });
    own.yonder = yonder.leagueId;
    await createTeam(captain.agent, yonder.divisionId, 'Yonder Rackets');
    await t.app.db.owner
      .insertInto('leagues')
      .values(
        Array.from({ length: CROWD }, (_, i) => ({
          name: `Aaa Crowd League ${String(i).padStart(3, '0')}`,
          sport: 'tennis' as const,
          visibility: 'public' as const,
          format: JSON.stringify(DEFAULT_MATCH_FORMAT),
          rosterMin: 2,
          rosterMax: 8,
          createdBy: stranger.id,
        })),
      )
      .execute();
  });
  afterAll(async () => t?.close());

  it("puts one's own leagues first, even when 250 public leagues sort before them", async () => {
    const first = await organizer.agent.get('/api/leagues');
    expect(first.statusCode).toBe(200);
    const leagues = first.json() as LeagueSummary[];
    expect(leagues).toHaveLength(50);
    expect(leagues.slice(0, 2)).toMatchObject([
      { id: own.westside, name: 'Westside Own League', access: { isOrganizer: true } },
      { id: own.zulu, name: 'Zulu Own League', visibility: 'private' },
    ]);
    expect(leagues[2]?.access).toEqual({ isOrganizer: false, isMember: false });
    expect(nextLink(first.headers.link)).toMatch(/^\/api\/leagues\?after=[\w-]+$/);

    const played = (await captain.agent.get('/api/leagues?limit=3')).json() as LeagueSummary[];
    expect(played[0]).toMatchObject({
      id: own.yonder,
      access: { isOrganizer: false, isMember: true },
    });
    expect(played.slice(1).map((l) => l.name)).toEqual(
      [...played.slice(1).map((l) => l.name)].sort(),
    );
  });

  it('walks every visible league exactly once, in order, while leagues are created', async () => {
    const before = await expected(organizer.id, [own.westside, own.zulu]);
    expect(before.length).toBeGreaterThan(CROWD + 2);
    let late = '';
    let early = '';
    const { leagues, pages } = await walk(organizer.agent, '/api/leagues?limit=40', async () => {
      // One sorting after the page just read (it must appear once) and one before it (it may
      // not appear, but must not push a row of the first page onto the second).
      late = (
        await stranger.agent.send(
          'POST',
          '/api/leagues',
          buildLeague({ name: 'Zz Late Public League', visibility: 'public' }),
        )
      ).json().id as string;
      early = (
        await stranger.agent.send(
          'POST',
          '/api/leagues',
          buildLeague({ name: 'Aa Early Public League', visibility: 'public' }),
        )
      ).json().id as string;
    });
    const ids = leagues.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(early);
    expect(ids.filter((id) => id === late)).toHaveLength(1);
    expect(ids.filter((id) => id !== late)).toEqual(before);
    expect(pages).toBe(Math.ceil(ids.length / 40));
  });

  it("never lists other people's private leagues, signed in or out", async () => {
    for (const agent of [organizer.agent, captain.agent, new Agent(t.app)]) {
      const { leagues } = await walk(agent, '/api/leagues?limit=200');
      expect(leagues.map((l) => l.id)).not.toContain(own.hidden);
    }
    const signedOut = (await walk(new Agent(t.app), '/api/leagues?limit=200')).leagues;
    expect(signedOut.every((l) => l.visibility === 'public')).toBe(true);
    expect(signedOut.map((l) => l.id)).toEqual(await expected(null, []));
    expect(signedOut.map((l) => l.id)).not.toContain(own.zulu);
  });

  it('searches names for the text typed, any case, LIKE wildcards literal', async () => {
    for (const name of [
      'Snake_case Club',
      'Snakeycase Club',
      'Promo 100% Club',
      'Promo 1000 Club',
    ]) {
      await stranger.agent.send(
        'POST',
        '/api/leagues',
        buildLeague({ name, visibility: 'public' }),
      );
    }
    const names = async (q: string) =>
      (
        (await organizer.agent.get(`/api/leagues?q=${encodeURIComponent(q)}`)).json() as {
          name: string;
        }[]
      ).map((l) => l.name);
    expect(await names('  snake_CASE ')).toEqual(['Snake_case Club']);
    expect(await names('100%')).toEqual(['Promo 100% Club']);
    expect((await names('promo')).sort()).toEqual(['Promo 1000 Club', 'Promo 100% Club'].sort());
    expect(await names('crowd league 24')).toHaveLength(10);
    // The search and the page size carry over to the next page.
    const paged = await organizer.agent.get('/api/leagues?q=crowd&limit=100');
    expect(paged.json()).toHaveLength(100);
    expect(nextLink(paged.headers.link)).toMatch(/^\/api\/leagues\?q=crowd&limit=100&after=/);
    const { leagues } = await walk(organizer.agent, '/api/leagues?q=crowd&limit=100');
    expect(leagues).toHaveLength(CROWD);
  });

  it('answers a bad page position, size or search with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['after=not-a-cursor', 'querystring.after'],
      [`after=${Buffer.from('["x"]').toString('base64url')}`, 'querystring.after'],
      [`after=${Buffer.from('[true,"a","1"]').toString('base64url')}`, 'querystring.after'],
      ['limit=0', 'querystring.limit'],
      ['limit=201', 'querystring.limit'],
      ['limit=ten', 'querystring.limit'],
      [`q=${'x'.repeat(101)}`, 'querystring.q'],
      ['q=%20%20', 'querystring.q'],
    ];
    for (const [query, field] of cases) {
      const response = await organizer.agent.get(`/api/leagues?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type'], query).toMatch(/^application\/problem\+json/);
      expect(response.json().errors, query).toEqual([{ field, message: expect.any(String) }]);
    }
  });
});
