import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../test/app';

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
