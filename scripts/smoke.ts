/**
 * `npm run test:smoke -- <url>`: checks a running deployment in well under a minute, after each
 * deploy (docs/deployment.md, "Smoke tests"). Prints one line per check and exits 0 when every
 * check passed, 1 with the failed checks otherwise (2 for a bad command line).
 *
 * Checks: liveness and readiness; the web app (its page, its script, the manifest); the OpenAPI
 * document; the sign-in page and what it offers; a public league read; the median response time
 * of the reads under 200 ms; the security headers; over https, HSTS and a certificate valid for
 * at least 14 more days.
 */
import { connect, type PeerCertificate } from 'node:tls';

/** Each request's limit: a smoke test must end, whatever the deployment does. */
const REQUEST_TIMEOUT_MS = 10_000;
/** The launch plan's bar for the API (`--max-median-ms` changes it). */
const MAX_MEDIAN_MS = 200;
/** Times each timed read is sent; the median is judged. */
const TIMED_SAMPLES = 5;
/** Alerts fire at 14 days (deploy/); a deploy must not start inside that window. */
const MIN_CERTIFICATE_DAYS = 14;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  ms: number;
}

async function get(base: URL, path: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(new URL(path, base), {
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    headers: { accept: path.startsWith('/api') ? 'application/json' : 'text/html' },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    ms: performance.now() - started,
  };
}

function json(answer: Answer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** The server's certificate, read by a TLS handshake of its own (fetch does not show it). */
function peerCertificate(url: URL): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port || 443),
      servername: url.hostname,
      timeout: REQUEST_TIMEOUT_MS,
    });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      resolve(certificate);
    });
    socket.once('timeout', () => socket.destroy(new Error('TLS handshake timed out')));
    socket.once('error', reject);
  });
}

/** An error in a line: fetch's "fetch failed" says why only in its cause (ECONNREFUSED, …). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const why = cause?.code ?? cause?.message;
  return why === undefined ? error.message : `${error.message} (${String(why)})`;
}

/** Runs every check against `base`; never throws (a failed request is a failed check). */
async function smoke(base: URL, maxMedianMs: number): Promise<Check[]> {
  const checks: Check[] = [];
  const check = async (name: string, run: () => Promise<string>) => {
    try {
      checks.push({ name, ok: true, detail: await run() });
    } catch (error) {
      checks.push({ name, ok: false, detail: reason(error) });
    }
  };
  const expectStatus = (answer: Answer, status: number, what: string) => {
    if (answer.status !== status) {
      throw new Error(
        `${what} answered ${answer.status}, expected ${status}: ${answer.text.slice(0, 200)}`,
      );
    }
  };

  await check('liveness: GET /health', async () => {
    const answer = await get(base, '/health');
    expectStatus(answer, 200, '/health');
    if ((json(answer) as { status?: unknown } | undefined)?.status !== 'ok') {
      throw new Error(`/health said ${answer.text.slice(0, 200)}`);
    }
    return 'ok';
  });
  await check('readiness: GET /ready', async () => {
    const answer = await get(base, '/ready');
    expectStatus(answer, 200, '/ready');
    const body = json(answer) as { status?: unknown; database?: unknown } | undefined;
    if (body?.status !== 'ready') throw new Error(`/ready said ${answer.text.slice(0, 200)}`);
    return `ready on ${String(body.database)}`;
  });
  await check('web app: GET / and its script', async () => {
    const page = await get(base, '/');
    expectStatus(page, 200, '/');
    if (!page.headers.get('content-type')?.includes('text/html')) throw new Error('/ is not HTML');
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(page.text)?.[1];
    if (!script) throw new Error('the page loads no script');
    const code = await get(base, script);
    expectStatus(code, 200, script);
    if (!code.headers.get('content-type')?.includes('javascript')) {
      throw new Error(`${script} is served as ${code.headers.get('content-type')}`);
    }
    return `${script}, ${code.text.length} bytes`;
  });
  await check('installable: GET /manifest.webmanifest', async () => {
    const answer = await get(base, '/manifest.webmanifest');
    expectStatus(answer, 200, '/manifest.webmanifest');
    const manifest = json(answer) as { name?: unknown; icons?: unknown[] } | undefined;
    if (typeof manifest?.name !== 'string' || !manifest.icons?.length) {
      throw new Error('the manifest has no name or no icons');
    }
    return manifest.name;
  });
  await check('API description: GET /api/openapi.json', async () => {
    const answer = await get(base, '/api/openapi.json');
    expectStatus(answer, 200, '/api/openapi.json');
    const document = json(answer) as { openapi?: unknown; paths?: object } | undefined;
    if (typeof document?.openapi !== 'string' || !document.openapi.startsWith('3.')) {
      throw new Error('not an OpenAPI 3 document');
    }
    return `OpenAPI ${document.openapi}, ${Object.keys(document.paths ?? {}).length} paths`;
  });
  await check('sign-in: GET /sign-in and /api/auth/config', async () => {
    const page = await get(base, '/sign-in');
    expectStatus(page, 200, '/sign-in');
    const config = await get(base, '/api/auth/config');
    expectStatus(config, 200, '/api/auth/config');
    const offered = json(config) as Record<string, unknown> | undefined;
    if (!offered || typeof offered !== 'object') throw new Error('/api/auth/config is not JSON');
    return `offers ${Object.keys(offered).join(', ')}`;
  });
  await check('public read: GET /api/leagues', async () => {
    const list = await get(base, '/api/leagues');
    expectStatus(list, 200, '/api/leagues');
    const leagues = json(list) as { id: string; name: string }[] | undefined;
    if (!Array.isArray(leagues)) throw new Error('/api/leagues is not a list');
    const first = leagues[0];
    if (!first) return 'no public league yet';
    const league = await get(base, `/api/leagues/${encodeURIComponent(first.id)}`);
    expectStatus(league, 200, `/api/leagues/${first.id}`);
    return `${leagues.length} public, read "${first.name}"`;
  });
  await check(`response time: median under ${maxMedianMs} ms`, async () => {
    const report: string[] = [];
    for (const path of ['/health', '/ready', '/api/leagues']) {
      const times: number[] = [];
      for (let i = 0; i < TIMED_SAMPLES; i++) {
        const answer = await get(base, path);
        expectStatus(answer, 200, path);
        times.push(answer.ms);
      }
      const ms = median(times);
      if (ms >= maxMedianMs) throw new Error(`${path}: median ${ms.toFixed(0)} ms`);
      report.push(`${path} ${ms.toFixed(1)} ms`);
    }
    return report.join(', ');
  });
  await check('security headers', async () => {
    const missing: string[] = [];
    for (const path of ['/', '/api/leagues']) {
      const { headers } = await get(base, path);
      const csp = headers.get('content-security-policy') ?? '';
      if (!csp.includes("frame-ancestors 'none'")) missing.push(`${path}: content-security-policy`);
      if (headers.get('x-content-type-options') !== 'nosniff') {
        missing.push(`${path}: x-content-type-options`);
      }
      if (!headers.get('referrer-policy')) missing.push(`${path}: referrer-policy`);
      if (base.protocol === 'https:') {
        const maxAge = Number(
          /max-age=(\d+)/.exec(headers.get('strict-transport-security') ?? '')?.[1],
        );
        if (!(maxAge >= 180 * 86_400)) missing.push(`${path}: strict-transport-security`);
      }
    }
    if (missing.length > 0) throw new Error(`missing or weak: ${missing.join('; ')}`);
    return base.protocol === 'https:'
      ? 'CSP, nosniff, referrer policy, HSTS'
      : 'CSP, nosniff, referrer policy';
  });
  if (base.protocol === 'https:') {
    await check(`certificate valid ${MIN_CERTIFICATE_DAYS}+ days`, async () => {
      const certificate = await peerCertificate(base);
      const days = (Date.parse(certificate.valid_to) - Date.now()) / 86_400_000;
      if (!(days >= MIN_CERTIFICATE_DAYS)) {
        throw new Error(`expires ${certificate.valid_to} (${days.toFixed(1)} days)`);
      }
      return `expires ${certificate.valid_to} (${Math.floor(days)} days)`;
    });
  }
  return checks;
}

const USAGE = 'Usage: npm run test:smoke -- <http(s)://host[:port]> [--max-median-ms 200]\n';

async function main(argv: string[]): Promise<number> {
  const [target, ...rest] = argv;
  let base: URL | undefined;
  try {
    base = target ? new URL(target) : undefined;
  } catch {
    base = undefined;
  }
  let maxMedianMs = MAX_MEDIAN_MS;
  if (rest.length > 0) {
    maxMedianMs = rest[0] === '--max-median-ms' && rest.length === 2 ? Number(rest[1]) : Number.NaN;
  }
  if (!base || !['http:', 'https:'].includes(base.protocol) || !(maxMedianMs > 0)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const started = performance.now();
  const checks = await smoke(base, maxMedianMs);
  for (const c of checks)
    process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  const failed = checks.filter((c) => !c.ok);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    failed.length === 0
      ? `smoke: all ${checks.length} checks passed against ${base.origin} in ${seconds} s\n`
      : `smoke: ${failed.length} of ${checks.length} checks failed against ${base.origin} in ${seconds} s\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
