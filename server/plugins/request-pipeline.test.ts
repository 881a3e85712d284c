import { randomUUID } from 'node:crypto';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from '../test/app';
import { TEST_DATABASES } from '../test/databases';
import { MAX_FIELD_ERRORS } from './errors';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './session';

/** The probe's body (issue #10): 520,000 match days, about 1 MB of JSON. */
const HUGE_SETTINGS = JSON.stringify({
  matchDays: new Array<number>(520_000).fill(1),
  timeSlots: ['18:00'],
  matchMinutes: 60,
  homeVenues: [],
});

/** A body within the array bounds where every one of the dates is wrong. */
function badDates(teams: number, dates: number): string {
  return JSON.stringify({
    matchDays: ['tue'],
    timeSlots: ['18:00'],
    matchMinutes: 90,
    homeVenues: [],
    unavailableDates: Array.from({ length: teams }, () => ({
      teamId: randomUUID(),
      dates: new Array<string>(dates).fill('x'),
    })),
  });
}

/** Every array schema in a JSON Schema (by path), and whether it has a `maxItems`. */
function arraysIn(schema: unknown, path: string, found: Map<string, boolean>): void {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => arraysIn(s, `${path}[${i}]`, found));
  } else if (schema && typeof schema === 'object') {
    const node = schema as Record<string, unknown>;
    expect(node.$ref, `${path} is a reference`).toBeUndefined();
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (types.includes('array')) found.set(path, typeof node.maxItems === 'number');
    for (const [key, value] of Object.entries(node)) arraysIn(value, `${path}.${key}`, found);
  }
}

describe.each(TEST_DATABASES)('the request pipeline on %s', (kind) => {
  let t: TestApp;
  const draftUrl = `/api/divisions/${randomUUID()}/schedule/draft`;

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
  });
  afterAll(async () => t?.close());

  /** Signed out, but with a matching CSRF cookie and header, as the probe sent it. */
  const signedOut = (url: string, payload: string) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        'content-type': 'application/json',
        cookie: `${CSRF_COOKIE}=probe`,
        [CSRF_HEADER]: 'probe',
      },
    });

  async function signedIn(): Promise<Agent> {
    const agent = new Agent(t.app);
    await agent.prime();
    expect((await agent.send('POST', '/api/auth/demo', { user: 'new' })).statusCode).toBe(204);
    return agent;
  }

  const post = (agent: Agent, url: string, payload: string) =>
    agent.request({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json' },
    });

  it('a signed-out write is 401 before its body is parsed or validated', async () => {
    const huge = await signedOut(draftUrl, HUGE_SETTINGS);
    expect(huge.statusCode).toBe(401);
    expect(huge.headers['content-type']).toContain('application/problem+json');
    expect(huge.body.length).toBeLessThan(1000);
    // Not even parsed: broken JSON is 401 too, not 400.
    const broken = await signedOut(draftUrl, '{"matchDays": [');
    expect(broken.statusCode).toBe(401);
  });

  it('a signed-in oversized array is 400 with one short answer', async () => {
    const agent = await signedIn();
    const response = await post(agent, draftUrl, HUGE_SETTINGS);
    expect(response.statusCode).toBe(400);
    expect(response.body.length).toBeLessThan(2000);
    expect(response.json().errors).toContainEqual({
      field: 'matchDays',
      message: expect.stringContaining('7'),
    });
    // The probe's second case: 256 teams of 366 bad dates is refused on the list's length alone.
    const wide = await post(agent, draftUrl, badDates(256, 366));
    expect(wide.statusCode).toBe(400);
    expect(wide.json().errors).toHaveLength(1);
  });

  it('a problem lists at most 20 invalid fields and says how many there were', async () => {
    const agent = await signedIn();
    const response = await post(agent, draftUrl, badDates(64, 366));
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(problem.errors[0]).toEqual({
      field: 'unavailableDates.0.dates.0',
      message: 'Use YYYY-MM-DD',
    });
    expect(problem.detail).toBe(
      `The body has ${64 * 366} invalid fields; the first ${MAX_FIELD_ERRORS} are listed.`,
    );
    expect(response.body.length).toBeLessThan(4000);
  });

  it('every array a request can carry has a maximum length', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    const found = new Map<string, boolean>();
    for (const [path, operations] of Object.entries<Record<string, Record<string, unknown>>>(
      doc.paths,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        arraysIn(operation.requestBody, `${where} body`, found);
        arraysIn(operation.parameters, `${where} parameters`, found);
      }
    }
    // The walk does see the request arrays (schedule settings alone have six).
    expect(found.size).toBeGreaterThan(10);
    expect([...found].filter(([, bounded]) => !bounded).map(([path]) => path)).toEqual([]);
  });

  it('an encoded /%61pi path gets the session and CSRF checks of the route it reaches', async () => {
    const demo = await t.app.inject({
      method: 'POST',
      url: '/%61pi/auth/demo',
      payload: { user: 'organizer' },
    });
    expect(demo.statusCode).toBe(403);
    expect(demo.json().type).toBe('urn:rally:problem:csrf');
    expect(demo.cookies.map((c: { name: string }) => c.name)).not.toContain(SESSION_COOKIE);

    const victim = await signedIn();
    const logout = await victim.request({
      method: 'POST',
      url: '/%61pi/auth/logout',
      csrf: false,
    });
    expect(logout.statusCode).toBe(403);
    expect((await victim.get('/api/me')).statusCode).toBe(200);
    // The encoded path still works for a request that passes the checks.
    expect((await victim.send('POST', '/%61pi/auth/logout')).statusCode).toBe(204);
    expect((await victim.get('/api/me')).statusCode).toBe(401);
  });
});

describe('the request log', () => {
  const lines: string[] = [];
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('embedded', {
      env: { LOG_LEVEL: 'info' },
      overrides: NO_RATE_LIMITS,
      build: { logStream: { write: (line) => void lines.push(line) } },
    });
  });
  afterAll(async () => t?.close());

  it('never keeps an invitation or calendar token, however the path is spelled', async () => {
    const token = `Tok${randomUUID().replaceAll('-', '')}`;
    const urls = [
      `/invites/${token}`,
      `/%69nvites/${token}`,
      `/invites/${token}?from=mail`,
      `//invites/${token}`,
      `/api/invites/${token}`,
      `/%61pi/invites/${token}`,
      `/%61pi/%69nvites/${token}/accept`,
      `/api/calendar/${token}.ics`,
      `/%61pi/calendar/${token}.ics`,
      `/api/auth/callback?code=${token}&state=${token}`,
      `/%61pi/auth/callback?code=${token}`,
      `/invites/${token}%ZZ`,
    ];
    for (const url of urls) {
      await t.app.inject({ url, headers: { accept: 'text/html' } });
    }
    await t.app.inject({ method: 'POST', url: `/%61pi/invites/${token}/accept` });
    const log = lines.join('');
    // The requests were logged, without the token.
    expect(log).toContain('"url":"/invites/<token>"');
    expect(log).toContain('"url":"/api/invites/<token>/accept"');
    expect(log).toContain('"url":"/api/calendar/<token>"');
    expect(log).toContain('"url":"/api/auth/callback"');
    expect(log).not.toContain(token);
    // Other URLs are logged as they are, query included.
    await t.app.inject('/api/leagues?sport=tennis');
    expect(lines.join('')).toContain('"url":"/api/leagues?sport=tennis"');
  });
});

/** What came back on a raw connection: status, headers (lower-case names) and body. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
}

/**
 * Opens a raw connection, writes `head`, then (if given) one byte of `trickle` every 50 ms, and
 * resolves with everything received once the server closes the connection.
 */
function rawRequest(port: number, head: string, trickle?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => void (received += chunk));
    // A reset after the answer still ends the exchange; the close event says so.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve(received);
    });
    socket.write(head);
    if (trickle) {
      let i = 0;
      timer = setInterval(() => {
        if (socket.writable) socket.write(trickle[i++ % trickle.length] ?? ' ');
      }, 50);
    }
  });
}

describe.each(TEST_DATABASES)('answers before any route runs, over a socket, on %s', (kind) => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp(kind, {
      overrides: {
        ...NO_RATE_LIMITS,
        timeouts: { requestMs: 400, headersMs: 300, keepAliveMs: 5000, idleMs: 10_000 },
      },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  /** The security headers every API answer carries, from an ordinary one. */
  async function helmetHeaders(): Promise<Record<string, string>> {
    const normal = await t.app.inject('/api/auth/config');
    const names = [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'strict-transport-security',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-permitted-cross-domain-policies',
      'origin-agent-cluster',
      'x-xss-protection',
    ];
    return Object.fromEntries(
      names
        .filter((n) => normal.headers[n] !== undefined)
        .map((n) => [n, String(normal.headers[n])]),
    );
  }

  async function expectBareProblem(answer: RawAnswer, status: number, secret: string) {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const expected = await helmetHeaders();
    expect(expected['content-security-policy']).toContain("default-src 'self'");
    for (const [name, value] of Object.entries(expected)) {
      expect(answer.headers[name], name).toBe(value);
    }
    expect(JSON.parse(answer.body)).toMatchObject({ status, title: expect.any(String) });
    expect(answer.body).not.toContain(secret);
  }

  it('a URL the router cannot decode is a 400 problem that echoes nothing', async () => {
    const response = await t.app.inject('/api/leagues/%ZZsecret');
    await expectBareProblem(
      { status: response.statusCode, headers: response.headers as never, body: response.body },
      400,
      'secret',
    );
  });

  it('a path parameter over the limit is a 414 problem', async () => {
    const long = 'x'.repeat(300);
    const text = await rawRequest(
      port,
      `GET /api/leagues/${long} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`,
    );
    await expectBareProblem(parseAnswer(text), 414, long);
  });

  it('headers over the limit are a 431 problem written by the server itself', async () => {
    const big = 'y'.repeat(20_000);
    const text = await rawRequest(
      port,
      `GET /api/leagues HTTP/1.1\r\nHost: test\r\nX-Big: ${big}\r\n\r\n`,
    );
    await expectBareProblem(parseAnswer(text), 431, 'yyyy');
  });

  it('a body sent one byte at a time is cut off with 408', async () => {
    const text = await rawRequest(
      port,
      'POST /api/auth/demo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
        `Content-Length: 1000\r\nCookie: ${CSRF_COOKIE}=t\r\n${CSRF_HEADER}: t\r\n\r\n{"user":"`,
      'aaaaaaaaaa',
    );
    await expectBareProblem(parseAnswer(text), 408, 'aaaa');
  });

  it('headers sent one byte at a time are cut off with 408', async () => {
    const text = await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: test\r\nX-Slow: ', 'zzzz');
    await expectBareProblem(parseAnswer(text), 408, 'zzzz');
  });
});
