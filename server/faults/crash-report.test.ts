import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { killServers, SOURCE_SERVER, startServer, waitFor } from '../test/server-process';
import { startSentryReceiver } from '../test/sentry-receiver';

afterAll(killServers);

it('an uncaught exception is reported, scrubbed, before the process exits with 1', async () => {
  const receiver = await startSentryReceiver('5');
  // A port of our own choosing: the preload polls it to know when the server is up.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = String((probe.address() as AddressInfo).port);
  await new Promise((resolve) => probe.close(resolve));
  try {
    const server = await startServer(
      {
        PORT: port,
        RALLY_DATA_DIR: 'memory://',
        SENTRY_DSN: receiver.dsn,
        LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      },
      180_000,
      ['--import', 'tsx', '--import', './server/test/throw-when-up.ts', ...SOURCE_SERVER.slice(2)],
    );
    await waitFor('the process to exit', () => server.exitCode() !== null, 60_000);
    expect(server.exitCode()).toBe(1);
    expect(server.logs.some((line) => line.level === 60 && line.msg === 'uncaught exception')).toBe(
      true,
    );
    // Sent before the exit: no waiting for more.
    const events = receiver.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tags: { kind: 'uncaughtException' },
      exception: { values: [{ value: 'crashed while serving [email]' }] },
    });
  } finally {
    await receiver.close();
  }
}, 300_000);
