import type { FastifyInstance } from 'fastify';
import type { Agent } from '../test/app';
import { createLeagueWithDivision, createTeam, expectStatus, signUp } from '../test/factories';
import { FuzzSession, operationsOf, type IdPool, type Operation } from './openapi-fuzz';

/**
 * The world the fuzzer attacks: the demo organizer (signed in as the fuzzing user, with the demo
 * league's seasons, teams and matches to aim at) and a victim with a private league of their own,
 * whose ids the fuzzer knows and whose data must come out unchanged.
 */
export interface FuzzWorld {
  operations: Operation[];
  ids: IdPool;
  session: FuzzSession;
  /** The victim's data as the victim sees it through the API. */
  snapshotVictim(): Promise<Record<string, unknown>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The parameter name an id goes by, from the key it sits under (`teams[].id` → `teamId`). */
function paramNameOf(container: string | undefined, key: string): string | undefined {
  if (key !== 'id') return key.endsWith('Id') ? key : undefined;
  if (!container) return undefined;
  // `calendar-feeds` → `feedId`.
  const last = container.replace(/^.*-/, '');
  const singular = last.endsWith('ies') ? last.slice(0, -3) + 'y' : last.replace(/s$/, '');
  return `${singular}Id`;
}

/** Adds every id in an answer to the pool, under the parameter name it would be passed as. */
export function harvest(ids: IdPool, value: unknown, container?: string): void {
  if (Array.isArray(value)) {
    for (const item of value) harvest(ids, item, container);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    const feed = typeof v === 'string' ? /\/api\/calendar\/([\w-]+\.ics)$/.exec(v) : null;
    if (feed?.[1]) add(ids, 'file', feed[1]);
    if (typeof v === 'string' && UUID.test(v)) {
      const name = paramNameOf(container, key);
      if (name) add(ids, name, v);
      if (name === 'userId' || name === 'playerId') {
        add(ids, 'userId', v);
        add(ids, 'playerId', v);
      }
    } else {
      harvest(ids, v, key);
    }
  }
}

function add(ids: IdPool, name: string, id: string) {
  const list = ids.get(name) ?? [];
  if (!list.includes(id) && list.length < 40) list.push(id);
  ids.set(name, list);
}

/** Builds the world on an app running in demo mode. */
export async function buildFuzzWorld(app: FastifyInstance): Promise<FuzzWorld> {
  const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  const operations = operationsOf(document);
  const ids: IdPool = new Map();

  const victim = await signUp(app, 'organizer', 'Vera Victim');
  const { leagueId, divisionId } = await createLeagueWithDivision(victim.agent);
  const teamId = await createTeam(victim.agent, divisionId, 'Victim Volleys');
  expectStatus(
    await victim.agent.send('POST', `/api/teams/${teamId}/invites`, { kind: 'link' }),
    201,
    'victim invite',
  );
  expectStatus(
    await victim.agent.send('POST', `/api/leagues/${leagueId}/venues`, {
      name: 'Victim Courts',
      courts: 2,
      availability: [{ weekday: 'sat', from: '09:00', to: '17:00' }],
    }),
    201,
    'victim venue',
  );
  expectStatus(await victim.agent.send('POST', '/api/me/calendar'), 201, 'victim calendar feed');
  add(ids, 'userId', victim.id);
  add(ids, 'playerId', victim.id);
  const victimReads = [
    '/api/me',
    '/api/me/teams',
    '/api/me/matches',
    '/api/me/calendar-feeds',
    `/api/leagues/${leagueId}`,
    `/api/leagues/${leagueId}/venues`,
    `/api/divisions/${divisionId}/teams`,
    `/api/divisions/${divisionId}/matches`,
    `/api/teams/${teamId}`,
    `/api/teams/${teamId}/invites`,
    `/api/players/${victim.id}`,
  ];
  await readAll(victim.agent, victimReads, ids);

  const session = new FuzzSession(app, 'organizer');
  await session.signIn();
  const attacker = async (url: string) => {
    const response = await app.inject({
      method: 'GET',
      url,
      headers: session.headersFor('session'),
    });
    return response.statusCode === 200 ? (response.json() as unknown) : undefined;
  };
  const me = (await attacker('/api/me')) as { id: string } | undefined;
  if (me) add(ids, 'userId', me.id);
  harvest(ids, await attacker('/api/me/teams'), 'teams');
  harvest(ids, await attacker('/api/me/matches'), 'matches');
  const leagues = await attacker('/api/leagues');
  harvest(ids, leagues, 'leagues');
  for (const league of ids.get('leagueId') ?? [])
    harvest(ids, await attacker(`/api/leagues/${league}`), 'leagues');
  for (const division of ids.get('divisionId') ?? []) {
    harvest(ids, await attacker(`/api/divisions/${division}/teams`), 'teams');
    harvest(ids, await attacker(`/api/divisions/${division}/matches`), 'matches');
  }
  for (const match of (ids.get('matchId') ?? []).slice(0, 10)) {
    harvest(ids, await attacker(`/api/matches/${match}/proposals`), 'proposals');
  }
  harvest(ids, await attacker('/api/leaderboards'), 'players');

  return {
    operations,
    ids,
    session,
    async snapshotVictim() {
      const snapshot: Record<string, unknown> = {};
      for (const url of victimReads) {
        const response = await victim.agent.get(url);
        snapshot[url] = { status: response.statusCode, body: response.json() as unknown };
      }
      return snapshot;
    },
  };
}

async function readAll(agent: Agent, urls: string[], ids: IdPool) {
  for (const url of urls) {
    const response = await agent.get(url);
    expectStatus(response, 200, `victim read ${url}`);
    const container = /\/api\/(?:me\/)?([a-z-]+)(?:\/[^/]+)?(?:\/([a-z-]+))?$/.exec(url);
    harvest(ids, response.json(), container?.[2] ?? container?.[1]);
  }
}
