import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/app';
import { OVERLOADED } from './problem';

/** Resolves once `condition()` holds, looking again on every turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('load shedding', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('embedded', { env: { LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '1' } });
    await t.app.ready();
  });
  afterAll(async () => t?.close());

  it('answers 503 overloaded with Retry-After while the event loop lags; probes and metrics still answer', async () => {
    // The event loop blocked 30 ms at a time, over and over: far above the 1 ms allowed.
    const blocker = setInterval(() => {
      const end = Date.now() + 30;
      while (Date.now() < end);
    }, 1);
    try {
      await until(() => t.app.isUnderPressure());
      const shed = await t.app.inject({ method: 'GET', url: '/api/leagues' });
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBe('5');
      expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(shed.json()).toMatchObject({
        type: OVERLOADED,
        title: 'Service Unavailable',
        status: 503,
        detail: expect.stringMatching(/busy/),
        instance: '/api/leagues',
      });
      // The security headers and the request id, as on every answer.
      expect(shed.headers['content-security-policy']).toContain("default-src 'self'");
      expect(shed.headers['x-content-type-options']).toBe('nosniff');
      expect(shed.headers['x-request-id']).toBeTruthy();

      // Probes are never shed: liveness must not get a busy process killed, and readiness
      // must not take every instance out of the load balancer at once.
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      clearInterval(blocker);
    }
  });
});
