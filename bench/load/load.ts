/**
 * The load generator of `npm run bench:load`, run as its own process so it does not share the
 * server's event loop: autocannon, each connection walking through one user's steps (the API
 * calls of the pages they open) in order, then the next user's, and so on.
 *
 *   node --import tsx bench/load/load.ts <spec.json>
 *
 * Prints one JSON line (`LoadResult`).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** One request of a user's walk. */
export interface Step {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** What the orchestrator (run.ts) asks for. */
export interface LoadSpec {
  url: string;
  seconds: number;
  /** Users browsing at once: each connection is one user at a time. */
  connections: number;
  users: { headers: Record<string, string>; steps: Step[] }[];
  /** Requests per second per connection (a user's pace); absent: as fast as answers come. */
  connectionRate?: number;
  /** Requests per second across all connections. */
  overallRate?: number;
  /** Each connection stops after this many requests (and the run once all have). */
  maxConnectionRequests?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  ok: number;
  statusCodes: Record<string, number>;
}

const specFile = process.argv[2];
if (!specFile) {
  console.error('usage: load.ts <spec.json>');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as LoadSpec;

// autocannon runs each connection through `requests` in order and gives the connection a fresh
// context each time it starts again from the first: so each round is one user's walk, the next
// user's on the next round. All users have as many steps.
const length = spec.users[0]?.steps.length ?? 0;
if (length === 0 || spec.users.some((u) => u.steps.length !== length)) {
  console.error('every user needs the same number of steps, at least one');
  process.exit(2);
}
let nextUser = 0;

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  // With a request budget per connection the run ends when the budget is spent.
  ...(spec.maxConnectionRequests
    ? { maxConnectionRequests: spec.maxConnectionRequests, duration: 3600 }
    : { duration: spec.seconds }),
  ...(spec.connectionRate ? { connectionRate: spec.connectionRate } : {}),
  ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
  timeout: 30,
  requests: Array.from({ length }, (_, i) => ({
    setupRequest: (request: autocannon.Request, context: { user?: LoadSpec['users'][number] }) => {
      if (i === 0 || !context.user) {
        context.user = spec.users[nextUser++ % spec.users.length];
      }
      const user = context.user as LoadSpec['users'][number];
      const step = user.steps[i] as Step;
      return {
        ...request,
        method: step.method,
        path: step.path,
        headers: {
          ...request.headers,
          ...user.headers,
          ...step.headers,
          ...(step.body ? { 'content-type': 'application/json' } : {}),
        },
        ...(step.body ? { body: step.body } : {}),
      };
    },
  })),
});

const statusCodes: Record<string, number> = {};
for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
  statusCodes[code] = (stats as { count: number }).count;
}
const output: LoadResult = {
  requestsPerSecond: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  ok: result['2xx'],
  statusCodes,
};
console.log(JSON.stringify(output));
