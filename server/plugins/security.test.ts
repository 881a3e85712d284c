import { randomInt } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { Agent, startTestApp } from '../test/app';
import { TEST_DATABASES } from '../test/databases';

const redisUrl = process.env.TEST_REDIS_URL;

describe.runIf(redisUrl)('rate limits shared through Redis', () => {
  it('two API instances count one client together, on a route of its own and globally', async () => {
    const options = {
      env: { DEMO_MODE: 'true', REDIS_URL: redisUrl as string },
      overrides: { rateLimits: { global: 10, auth: 4 } },
    };
    const first = await startTestApp('embedded', options);
    const second = await startTestApp('embedded', options);
    try {
      // A client address of its own, so that other runs sharing this Redis do not interfere.
      const remoteAddress = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const app = i % 2 === 0 ? first.app : second.app;
        const response = await app.inject({ url: '/api/auth/config', remoteAddress });
        expect(response.statusCode).toBe(200);
        const login = await app.inject({ url: '/api/auth/callback', remoteAddress });
        statuses.push(login.statusCode);
      }
      expect(statuses).toEqual([302, 302, 302, 302, 429, 429]);
      // The global limit too: six requests above, four more, then both instances refuse.
      const more: number[] = [];
      for (let i = 0; i < 6; i++) {
        const app = i % 2 === 0 ? first.app : second.app;
        more.push((await app.inject({ url: '/api/auth/config', remoteAddress })).statusCode);
      }
      expect(more).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await first.close();
      await second.close();
    }
  }, 120_000);
});

describe.each(TEST_DATABASES)('rate limits before anything else on %s', (kind) => {
  it("a rate-limited client's request never reaches the session look-up", async () => {
    const t = await startTestApp(kind, {
      env: { DEMO_MODE: 'true' },
      overrides: { rateLimits: { global: 5, auth: 100 } },
    });
    try {
      const agent = new Agent(t.app);
      await agent.prime();
      await agent.send('POST', '/api/auth/demo', { user: 'player' });
      const lookUp = vi.spyOn(t.app.sessions, 'lookUp');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await agent.get('/api/me')).statusCode);
      // The priming request counted too: four left in this minute.
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect(lookUp).toHaveBeenCalledTimes(4);
    } finally {
      await t.close();
    }
  });

  it('a client that disconnects during its request leaves no error in the log', async () => {
    const lines: string[] = [];
    const t = await startTestApp(kind, {
      // Not 'info': logging "incoming request" would read (and keep) the client's address early.
      env: { DEMO_MODE: 'true', LOG_LEVEL: 'warn' },
      overrides: { rateLimits: { global: 1000, auth: 1000 } },
      build: { logStream: { write: (line) => void lines.push(line) } },
    });
    try {
      const agent = new Agent(t.app);
      await agent.prime();
      await agent.send('POST', '/api/auth/demo', { user: 'player' });
      const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as net.AddressInfo;

      // The session look-up waits until the client has gone, as a slow one does under load.
      let gone: Promise<void> = Promise.resolve();
      t.app.server.on('connection', (socket: net.Socket) => {
        gone = new Promise((resolve) => socket.once('close', () => resolve()));
      });
      const sessionOf = t.app.sessions.lookUp.bind(t.app.sessions);
      let lookedUp!: () => void;
      const lookUp = new Promise<void>((resolve) => (lookedUp = resolve));
      vi.spyOn(t.app.sessions, 'lookUp').mockImplementation(async (id) => {
        await gone;
        const answer = await sessionOf(id);
        lookedUp();
        return answer;
      });
      const client = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => client.once('connect', resolve));
      client.end(`GET /api/me HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n\r\n`);
      client.destroy();
      await lookUp;
      // Whatever the request still does after its look-up, it does before the server closes.
      await t.app.close();

      const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(entries.filter((e) => e.level >= 50)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('the sign-in limit', () => {
  it('is one count per client across login, callback and demo sign-in', async () => {
    const t = await startTestApp('embedded', {
      env: { DEMO_MODE: 'true' },
      overrides: { rateLimits: { global: 1000, auth: 3 } },
    });
    try {
      const agent = new Agent(t.app);
      await agent.prime();
      const login = await agent.get('/api/auth/login');
      expect(login.statusCode).toBe(404); // no identity provider here, but counted all the same
      expect((await agent.get('/api/auth/callback')).statusCode).toBe(302);
      expect((await agent.send('POST', '/api/auth/demo', { user: 'player' })).statusCode).toBe(204);
      for (const next of [
        () => agent.get('/api/auth/login'),
        () => agent.get('/api/auth/callback'),
        () => agent.send('POST', '/api/auth/demo', { user: 'player' }),
      ]) {
        const response = await next();
        expect(response.statusCode).toBe(429);
        expect(response.json()).toMatchObject({ type: 'urn:rally:problem:rate-limited' });
      }
      // The rest of the API keeps its own count.
      expect((await agent.get('/api/me')).statusCode).toBe(200);
      // Another client has its own sign-in budget.
      const other = await t.app.inject({ url: '/api/auth/callback', remoteAddress: '10.9.8.7' });
      expect(other.statusCode).toBe(302);
    } finally {
      await t.close();
    }
  });
});
