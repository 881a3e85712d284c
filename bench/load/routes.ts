/**
 * `npm run bench:routes`: a latency probe of every route the API registers (issue #12), on the
 * demo data ("small") and on the demo data plus the scale set of scale.ts ("large"), side by
 * side, on embedded PGlite and on PostgreSQL. bench/load/README.md explains it.
 *
 *   npm run bench:routes -- [--db both|embedded|postgres] [--requests 30] [--warmup 5]
 *                           [--scale 1] [--large-url <postgres url>] [--large-dir <directory>]
 *                           [--keep-answers] [--only <text>] [--out <file.json>]
 *
 * Both apps run in this process, answers not kept in memory (`keepAnswers: false`) unless
 * `--keep-answers`; each request goes through `app.inject`, one at a time, small and large in turn.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { buildApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { demoUserId } from '../../server/cli/seed';
import { DEMO_USERS } from '../../server/modules/auth';
import { generateScale, LEAGUES } from './scale';
import { signIn } from './sessions';
import { parseFlags, scratchDatabase } from './setup';

const flags = parseFlags(process.argv);
const count = (name: string, fallback: number) => {
  const value = Number(flags.get(name) ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};
const options = {
  db: flags.get('db') ?? 'both',
  requests: Math.max(1, count('requests', 30)),
  warmup: count('warmup', 5),
  /** Leagues of the scale set made for "large" when no database is given, in thousands. */
  scale: count('scale', 1),
  /** A PostgreSQL database with the demo data and the scale set already (`bench:scale`). */
  largeUrl: flags.get('large-url'),
  /** An embedded PGlite data directory with them (`RALLY_DATA_DIR` of `bench:scale`). */
  largeDir: flags.get('large-dir'),
  keepAnswers: flags.has('keep-answers'),
  only: flags.get('only'),
  out: flags.get('out') ?? path.join(os.tmpdir(), `rally-bench-routes-${Date.now()}.json`),
};
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const runId = Date.now().toString(36);

type Size = 'small' | 'large';
type Who = 'captain' | 'organizer' | 'anonymous';

/** One app on one database, and the demo rows its requests name. */
interface Target {
  size: Size;
  app: FastifyInstance;
  headers: Record<Who, Record<string, string>>;
  /** Path parameters by name, and the other rows probes need. */
  ids: Record<string, string>;
  close: () => Promise<void>;
}

/** A request of a probe: who sends it, to which path, with what body. */
interface Call {
  who: Who;
  url: string;
  body?: unknown;
}

/** One route probed one way: the request to send on each target, `i` counting from 0. */
interface Probe {
  route: string;
  label: string;
  call: (target: Target, i: number) => Call;
}

interface Result {
  route: string;
  label: string;
  statuses: Record<Size, Record<string, number>>;
  small: { p50: number; p99: number };
  large: { p50: number; p99: number };
  ratio: number;
}

// ---------------------------------------------------------------------------------------------
// The apps

/** The app on the small or large database of `kind`, every route it registers in `routes`. */
async function open(
  kind: 'embedded' | 'postgres',
  size: Size,
  routes: Set<string>,
): Promise<Target> {
  const given = size === 'large' ? (kind === 'postgres' ? options.largeUrl : options.largeDir) : '';
  const scratch =
    kind === 'postgres' && !given
      ? await scratchDatabase(serverUrl, `rally_routes_${size}_${process.pid}`)
      : undefined;
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'development',
      DEMO_MODE: 'true',
      LOG_LEVEL: 'error',
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      RALLY_DATA_DIR:
        kind === 'embedded' && given ? given : mkdtempSync(path.join(os.tmpdir(), 'rally-routes-')),
      ...(kind === 'postgres' ? { DATABASE_URL: given || scratch?.url } : {}),
    }),
    rateLimits: { global: 1_000_000, auth: 1_000_000 },
  };
  const app = await buildApp(config, {
    keepAnswers: options.keepAnswers,
    onRoute: (route) => {
      const methods = ([] as HTTPMethods[]).concat(route.method as HTTPMethods | HTTPMethods[]);
      for (const method of methods) if (method !== 'HEAD') routes.add(`${method} ${route.url}`);
    },
  });
  try {
    if (size === 'large' && !given) {
      const to = Math.max(1, Math.round(LEAGUES * options.scale));
      const started = performance.now();
      await generateScale(app.db.owner, { from: 1, to });
      console.error(
        `${kind}: scale set of ${to} leagues in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    const { ids, headers } = await demoRows(app, config);
    return {
      size,
      app,
      ids,
      headers,
      close: async () => {
        await app.close();
        await scratch?.drop();
      },
    };
  } catch (error) {
    await app.close();
    await scratch?.drop();
    throw error;
  }
}

/**
 * The demo league's rows the probes name (the demo captain's team, a played and a coming match
 * of it, a player of another team), the demo captain and organizer signed in, and what they make
 * through the API for the probes: a team invite link, a calendar feed, a league of their own.
 */
async function demoRows(
  app: FastifyInstance,
  config: Config,
): Promise<Pick<Target, 'ids' | 'headers'>> {
  const db = app.db.owner;
  const captainId = await demoUserId(db, 'captain');
  const organizerId = await demoUserId(db, 'organizer');
  const team = await db
    .selectFrom('teams')
    .innerJoin('teamMembers', 'teamMembers.teamId', 'teams.id')
    .innerJoin('divisions', 'divisions.id', 'teams.divisionId')
    .innerJoin('seasons', 'seasons.id', 'divisions.seasonId')
    .select(['teams.id', 'teams.name', 'teams.divisionId', 'seasons.leagueId'])
    .where('teamMembers.userId', '=', captainId)
    .where('teamMembers.role', '=', 'captain')
    .orderBy('teams.name')
    .executeTakeFirstOrThrow();
  const ofTeam = db
    .selectFrom('matches')
    .select(['matches.id'])
    .where((eb) =>
      eb.or([eb('matches.homeTeamId', '=', team.id), eb('matches.awayTeamId', '=', team.id)]),
    );
  const played = await ofTeam
    .innerJoin('matchResults', 'matchResults.matchId', 'matches.id')
    .orderBy('matches.matchDate', 'desc')
    .executeTakeFirstOrThrow();
  const coming = await ofTeam
    .where('matches.status', '=', 'scheduled')
    .where('matches.matchDate', '>=', new Date().toISOString().slice(0, 10))
    .orderBy('matches.matchDate')
    .executeTakeFirstOrThrow();
  const player = await db
    .selectFrom('teamMembers')
    .innerJoin('teams', 'teams.id', 'teamMembers.teamId')
    .select('teamMembers.userId')
    .where('teams.divisionId', '=', team.divisionId)
    .where('teams.id', '!=', team.id)
    .orderBy('teamMembers.userId')
    .executeTakeFirstOrThrow();
  const headers: Target['headers'] = {
    captain: (await signIn(app.db, config, captainId)).headers,
    organizer: (await signIn(app.db, config, organizerId)).headers,
    anonymous: {},
  };
  const made = async (who: Who, url: string, body: object) => {
    const res = await app.inject({ method: 'POST', url, headers: headers[who], payload: body });
    if (res.statusCode >= 300) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
    return res.json<Record<string, string>>();
  };
  const invite = await made('captain', `/api/teams/${team.id}/invites`, { kind: 'link' });
  const feed = await made('captain', '/api/me/calendar', {});
  const league = await made('organizer', '/api/leagues', leagueInput('setup'));
  const last = (url: string) => url.split('/').pop() as string;
  return {
    headers,
    ids: {
      leagueId: team.leagueId,
      divisionId: team.divisionId,
      teamId: team.id,
      teamName: team.name,
      matchId: played.id,
      comingMatchId: coming.id,
      playerId: player.userId,
      token: last(invite.url as string),
      file: last(feed.url as string),
      probeLeagueId: league.id as string,
    },
  };
}

const leagueInput = (suffix: string) => ({
  name: `Probe ${runId} ${suffix}`,
  sport: 'tennis',
  visibility: 'private',
  format: DEFAULT_MATCH_FORMAT,
  rosterMin: 1,
  rosterMax: 12,
});

// ---------------------------------------------------------------------------------------------
// What is probed, and how

/** Query strings a GET route needs, each a probe of its own. */
const QUERIES: Record<string, string[]> = {
  '/api/me/matches': ['?when=upcoming', '?when=past'],
  // The first page, and a search every league's name matches (the demo's and the scale set's).
  '/api/leagues': ['', '?q=league'],
  // The web page's 100 rows (the demo league has fewer), and 20: as many rows on both sets.
  '/api/leaderboards': [
    '?sport=tennis&kind=singles&minMatches=0&limit=100',
    '?sport=tennis&kind=singles&minMatches=0&limit=20',
  ],
};
/** GET routes of the public reads, probed signed out as well. */
const ANONYMOUS = new Set([
  '/api/leagues',
  '/api/leagues/:leagueId',
  '/api/divisions/:divisionId/teams',
  '/api/divisions/:divisionId/matches',
  '/api/divisions/:divisionId/standings',
  '/api/leaderboards',
  '/api/teams/:teamId',
]);
/** GET routes only a league's organizers may open. */
const ORGANIZER = new Set(['/api/leagues/:leagueId/organizer-invites']);

/**
 * Writes that can be repeated on the demo data without changing what the next request sees:
 * the same answer again, or a new row of the probe's own each time.
 */
const WRITES: Record<string, (t: Target, i: number) => Call> = {
  'PUT /api/me/profile': () => ({
    who: 'captain',
    url: '/api/me/profile',
    body: DEMO_USERS.find((u) => u.key === 'captain')?.profile,
  }),
  'PUT /api/matches/:matchId/availability': (t) => ({
    who: 'captain',
    url: `/api/matches/${t.ids.comingMatchId}/availability`,
    body: { answer: 'available' },
  }),
  'PATCH /api/teams/:teamId': (t) => ({
    who: 'captain',
    url: `/api/teams/${t.ids.teamId}`,
    body: { name: t.ids.teamName },
  }),
  'POST /api/teams/:teamId/invites': (t) => ({
    who: 'captain',
    url: `/api/teams/${t.ids.teamId}/invites`,
    body: { kind: 'link' },
  }),
  'POST /api/leagues': (t, i) => ({
    who: 'organizer',
    url: '/api/leagues',
    body: leagueInput(`${t.size} ${i}`),
  }),
  'PATCH /api/leagues/:leagueId': (t) => ({
    who: 'organizer',
    url: `/api/leagues/${t.ids.probeLeagueId}`,
    body: { description: 'A league of bench:routes' },
  }),
  'POST /api/leagues/:leagueId/venues': (t, i) => ({
    who: 'organizer',
    url: `/api/leagues/${t.ids.probeLeagueId}/venues`,
    body: {
      name: `Probe venue ${i}`,
      courts: 2,
      availability: [{ weekday: 'tue', from: '18:00', to: '22:00' }],
    },
  }),
};

/** Why a write is not probed: what a repeat would do to the demo data or to the probe. */
function notProbed(route: string): string {
  const [method, url] = route.split(' ') as [string, string];
  if (url.startsWith('/api/auth/'))
    return route.endsWith('logout')
      ? 'ends the session the probe uses'
      : 'a sign-in (a new session each time), not a page';
  if (method === 'DELETE') return 'deletes the row it names: a repeat answers 404';
  if (/\/(accept|decline|withdraw)$/.test(url))
    return 'answers an invitation or a proposal once: a repeat is refused';
  if (url.includes('/result')) return "moves a match's result through its states once";
  if (url.includes('/schedule/'))
    return "drafts or publishes a division's whole schedule: publishing happens once";
  if (/\/(postpone|cancel)$/.test(url) || route === 'PATCH /api/matches/:matchId')
    return 'changes a match of the demo schedule, which the GET probes read';
  if (url.endsWith('/proposals')) return 'one open date proposal per match and team';
  if (url.endsWith('/lineup')) return "sets a match's lineup, which the GET probes read";
  if (route === 'POST /api/divisions/:divisionId/teams')
    return "one team per captain and division: each request needs a new captain (bench:load's create)";
  if (url.includes('/members/') || url.endsWith('/captain'))
    return "changes a demo team's roster or captain, which the GET probes read";
  if (url.endsWith('/role')) return "changes the demo user's role, which decides what they see";
  if (url.endsWith('/organizers')) return 'adds an organizer once: a repeat is refused';
  return "adds to or changes the demo league's rows, which the GET probes read";
}

function probesOf(routes: Set<string>): { probes: Probe[]; skipped: [string, string][] } {
  const probes: Probe[] = [];
  const skipped: [string, string][] = [];
  const fill = (url: string, t: Target) =>
    url.replace(/:(\w+)|\*/g, (_, name: string | undefined) =>
      name === undefined ? 'swagger-ui.css' : (t.ids[name] ?? `unknown-${name}`),
    );
  for (const route of [...routes].sort()) {
    if (options.only && !route.includes(options.only)) continue;
    const [method, url] = route.split(' ') as [string, string];
    if (method === 'GET') {
      for (const query of QUERIES[url] ?? ['']) {
        const who: Who = ORGANIZER.has(url) ? 'organizer' : 'captain';
        probes.push({
          route,
          label: `${route}${query} (${who})`,
          call: (t) => ({ who, url: fill(url, t) + query }),
        });
        if (ANONYMOUS.has(url)) {
          probes.push({
            route,
            label: `${route}${query} (signed out)`,
            call: (t) => ({ who: 'anonymous', url: fill(url, t) + query }),
          });
        }
      }
    } else if (WRITES[route]) {
      probes.push({ route, label: route, call: WRITES[route] });
    } else {
      skipped.push([route, notProbed(route)]);
    }
  }
  return { probes, skipped };
}

// ---------------------------------------------------------------------------------------------
// Measuring

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
const round = (n: number) => Math.round(n * 100) / 100;

async function send(t: Target, probe: Probe, i: number): Promise<{ ms: number; status: number }> {
  const call = probe.call(t, i);
  const started = performance.now();
  const res = await t.app.inject({
    method: probe.route.split(' ')[0] as HTTPMethods,
    url: call.url,
    headers: t.headers[call.who],
    ...(call.body === undefined ? {} : { payload: call.body as object }),
  });
  return { ms: performance.now() - started, status: res.statusCode };
}

/** `--warmup` requests on each, then `--requests` on each, small and large in turn. */
async function measure(small: Target, large: Target, probe: Probe): Promise<Result> {
  const times: Record<Size, number[]> = { small: [], large: [] };
  const statuses: Result['statuses'] = { small: {}, large: {} };
  for (let i = 0; i < options.warmup + options.requests; i++) {
    for (const t of [small, large]) {
      const { ms, status } = await send(t, probe, i);
      statuses[t.size][status] = (statuses[t.size][status] ?? 0) + 1;
      if (i >= options.warmup) times[t.size].push(ms);
    }
  }
  const summary = (list: number[]) => {
    const sorted = list.sort((a, b) => a - b);
    return { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)) };
  };
  const s = summary(times.small);
  const l = summary(times.large);
  return {
    route: probe.route,
    label: probe.label,
    statuses,
    small: s,
    large: l,
    ratio: round(l.p50 / s.p50),
  };
}

async function bench(kind: 'embedded' | 'postgres') {
  const routes = new Set<string>();
  const small = await open(kind, 'small', routes);
  try {
    const large = await open(kind, 'large', new Set());
    try {
      const { probes, skipped } = probesOf(routes);
      const results: Result[] = [];
      for (const probe of probes) results.push(await measure(small, large, probe));
      return { kind, results, skipped };
    } finally {
      await large.close();
    }
  } finally {
    await small.close();
  }
}

// ---------------------------------------------------------------------------------------------

const kinds: ('embedded' | 'postgres')[] =
  options.db === 'both' ? ['embedded', 'postgres'] : [options.db as 'embedded' | 'postgres'];
const machine = {
  cpu: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`,
  node: process.version,
  loadAverageBefore: os.loadavg().map(round),
  startedAt: new Date().toISOString(),
};
const runs = [];
for (const kind of kinds) runs.push(await bench(kind));
const loadAverageAfter = os.loadavg().map(round);

const statusText = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([code, n]) => (Object.keys(r).length > 1 ? `${n}×${code}` : code))
    .join(' ');
console.log(
  `\n# bench:routes — ${machine.cpu}, Node ${machine.node}, answers ${options.keepAnswers ? 'kept' : 'not kept'}, ${options.requests} requests after ${options.warmup} of warm-up, load average before ${machine.loadAverageBefore.join(' ')}, after ${loadAverageAfter.join(' ')}\n`,
);
console.log(
  '| database | route | status small / large | small p50 ms | small p99 ms | large p50 ms | large p99 ms | large / small p50 | |',
);
console.log('|---|---|---|--:|--:|--:|--:|--:|---|');
for (const run of runs) {
  for (const r of run.results) {
    const statuses = `${statusText(r.statuses.small)} / ${statusText(r.statuses.large)}`;
    console.log(
      `| ${run.kind} | ${r.label} | ${statuses} | ${r.small.p50} | ${r.small.p99} | ${r.large.p50} | ${r.large.p99} | ${r.ratio} | ${r.ratio > 2 ? 'over 2×' : ''} |`,
    );
  }
}
const skipped = runs[0]?.skipped ?? [];
if (skipped.length > 0) {
  console.log('\nNot probed:\n');
  for (const [route, why] of skipped) console.log(`- \`${route}\`: ${why}`);
}
writeFileSync(options.out, JSON.stringify({ machine, loadAverageAfter, options, runs }, null, 2));
console.log(`\nResults: ${options.out}`);
