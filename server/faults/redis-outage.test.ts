import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { killServers, startServer, waitFor, type ServerProcess } from '../test/server-process';
import { TcpProxy } from '../test/tcp-proxy';

afterAll(killServers);

const redisUrl = process.env.TEST_REDIS_URL;
const LIMIT = 12;
const UNREACHABLE = 'Redis unreachable: rate limits are counted per instance';

describe.runIf(redisUrl)('Redis stopped under load', () => {
  let proxy: TcpProxy | undefined;
  const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true }) : undefined;
  afterAll(async () => {
    await killServers();
    await proxy?.close();
    redis?.disconnect();
  });

  it('keeps serving and limiting per instance, and logs the outage once and the recovery', async () => {
    const target = new URL(redisUrl as string);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const server: ServerProcess = await startServer({
      RALLY_DATA_DIR: 'memory://',
      DEMO_MODE: 'false',
      REDIS_URL: viaProxy.href,
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      // Each phase is a client address of its own, so that other runs sharing this Redis (and
      // the counts of the phase before) do not interfere.
      TRUST_PROXY: 'true',
    });
    /** The statuses of `n` requests from `address`, one after another. */
    const burst = async (address: string, n: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i++) {
        const response = await fetch(`${server.url}/api/auth/config`, {
          headers: { 'x-forwarded-for': address },
          signal: AbortSignal.timeout(20_000),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      return statuses;
    };
    const limited = [...Array<number>(LIMIT).fill(200), 429, 429];
    const address = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    const unreachable = () => server.logs.filter((l) => l.msg === UNREACHABLE).length;

    // Up: counted in Redis.
    const first = address();
    expect(await burst(first, LIMIT + 2)).toEqual(limited);
    await redis?.connect();
    expect(Number(await redis?.get(`rally-rl:${first}`))).toBe(LIMIT + 2);

    // Down: every request answered, still limited, by this instance's own count.
    proxy.cut();
    const during = address();
    expect(await burst(during, LIMIT + 2)).toEqual(limited);
    expect(await burst(address(), 30)).not.toContain(500);
    await waitFor('the outage to be logged', () => unreachable() > 0);
    expect(await redis?.exists(`rally-rl:${during}`)).toBe(0);

    // Back: logged once, and counted in Redis again.
    proxy.restore();
    await waitFor('the recovery to be logged', () =>
      server.logs.some((l) => l.msg?.startsWith('Redis reachable again')),
    );
    const after = address();
    await burst(after, 1);
    expect(Number(await redis?.get(`rally-rl:${after}`))).toBe(1);
    expect(unreachable()).toBe(1);
    expect(server.logs.filter((l) => l.level >= 50)).toEqual([]);
  }, 300_000);
});
