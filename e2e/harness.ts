import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startOidcProvider, type OidcProvider } from '../server/test/oidc-provider';
import { COMPILED_SERVER, startServer, type ServerProcess } from '../server/test/server-process';

/** Debian's Chromium; the journeys never download a browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE = { width: 390, height: 844 };

export interface Harness {
  baseUrl: string;
  oidc: OidcProvider;
  server: ServerProcess;
  browser: Browser;
  /** A fresh browser profile (no cookies, no IndexedDB), phone-sized unless told otherwise. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * Starts everything a journey needs, for real: an OpenID Connect provider in this process, the
 * compiled Rally Connect server (what production runs, built web app included) in a child process
 * on a fresh embedded database, and Chromium.
 */
export async function startHarness(): Promise<Harness> {
  for (const built of ['web/index.html', 'server.js']) {
    if (!existsSync(path.join(DIST, built))) {
      throw new Error(`dist/${built} is missing: run \`npm run build\` first.`);
    }
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'rally-e2e-'));
  const oidc = await startOidcProvider();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer(
      {
        PORT: String(port),
        PUBLIC_URL: baseUrl,
        RALLY_DATA_DIR: dataDir,
        DEMO_MODE: 'false',
        // Chromium and the server share the test machine: a lagging event loop there is not
        // overload, and a shed request would fail a journey about something else.
        LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
        OIDC_ISSUER_URL: oidc.issuerUrl,
        OIDC_CLIENT_ID: oidc.clientId,
        OIDC_CLIENT_SECRET: oidc.clientSecret,
      },
      55_000,
      COMPILED_SERVER,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    await server?.stop();
    await oidc.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const started = { server, browser };
  return {
    baseUrl,
    oidc,
    ...started,
    newContext: (viewport = PHONE) => started.browser.newContext({ viewport, baseURL: baseUrl }),
    async close() {
      await started.browser.close();
      await started.server.stop();
      await oidc.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The axe violations that must never ship: `serious` and `critical` ones. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}
