/**
 * The load generator, run as its own process so it does not share the server's event loop:
 * autocannon against one URL, each request sent as the next of many users (their headers).
 * Prints one JSON line: requests/s, latency p50/p99 (ms), errors and non-2xx answers.
 */
import autocannon from 'autocannon';

const [url, duration, connections] = process.argv.slice(2);
const users = JSON.parse(process.env.BENCH_USERS ?? '[]') as Record<string, string>[];
if (!url || users.length === 0) {
  console.error('usage: load.ts <url> <seconds> <connections>, users in BENCH_USERS');
  process.exit(2);
}

let next = 0;
const result = await autocannon({
  url,
  duration: Number(duration ?? 10),
  connections: Number(connections ?? 32),
  requests: [
    {
      setupRequest: (request) => {
        const headers = users[next++ % users.length];
        return { ...request, headers: { ...request.headers, ...headers } };
      },
    },
  ],
});
console.log(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  }),
);
