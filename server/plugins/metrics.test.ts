import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/app';

const TOKEN = randomBytes(32).toString('hex');

describe('who may read /metrics', () => {
  let withToken: TestApp;
  let open: TestApp;
  let production: TestApp;
  beforeAll(async () => {
    withToken = await startTestApp('embedded', { env: { METRICS_TOKEN: TOKEN } });
    open = await startTestApp('embedded');
    // As loadConfig sets it for NODE_ENV=production without METRICS_TOKEN.
    production = await startTestApp('embedded', {
      overrides: { metrics: { token: undefined, openOnLoopback: false } },
    });
  });
  afterAll(async () => {
    await withToken?.close();
    await open?.close();
    await production?.close();
  });

  it('with METRICS_TOKEN, only a scraper sending it as a bearer token, from anywhere', async () => {
    for (const authorization of [undefined, 'Bearer wrong', TOKEN, `Basic ${TOKEN}`]) {
      const response = await withToken.app.inject({
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(response.body).not.toContain(TOKEN);
    }
    const scraped = await withToken.app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('process_cpu_user_seconds_total');
  });

  it('without a token, outside production, only clients on this machine', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await open.app.inject({ url: '/metrics', remoteAddress })).statusCode).toBe(200);
    }
    const remote = await open.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ status: 403 });
    // A forwarded address never counts: only the socket's.
    const forwarded = await open.app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(forwarded.statusCode).toBe(403);
  });

  it('without a token in production, nobody: not even a client on this machine', async () => {
    const response = await production.app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      status: 404,
      detail: expect.stringMatching(/METRICS_TOKEN/),
    });
  });
});
