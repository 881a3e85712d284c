/**
 * What the deployment files promise (issue #13, items 5 and 7), read as Docker, Caddy and GitHub
 * would read them. Docker is not on the test machines: CI's `compose` job runs `docker compose
 * config`, `caddy validate`, shellcheck and actionlint on the same files; this file holds the
 * properties that matter for running Rally Connect, which those tools do not know.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from './config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  env_file?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  stop_grace_period?: string;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string; memory?: string } } };
  logging?: { driver?: string; options?: Record<string, string> };
  network_mode?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: { name: string; url?: string } | string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** Compose reads YAML 1.2 with merge keys (`<<: *app`). */
const parseCompose = (text: string) => parse(text, { merge: true }) as Compose;

/** `30s`, `1m30s`, `500ms` in milliseconds, as compose reads durations. */
function duration(text: string | undefined): number {
  if (!text) return 10_000; // compose's default stop_grace_period
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(amount) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms'];
  }
  return ms;
}

/** The variables of a dotenv file: assigned ones, and documented ones (`# NAME=`). */
function envExample(text: string): { assigned: Map<string, string>; documented: Set<string> } {
  const assigned = new Map<string, string>();
  const documented = new Set<string>();
  for (const line of text.split('\n')) {
    const set = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (set) {
      assigned.set(set[1] as string, set[2] as string);
      documented.add(set[1] as string);
    }
    const commented = /^# ([A-Z][A-Z0-9_]*)=/.exec(line);
    if (commented) documented.add(commented[1] as string);
  }
  return { assigned, documented };
}

/** Every `${NAME…}` compose substitutes (not `$${…}`, which is the container shell's). */
const substituted = (text: string) =>
  new Set([...text.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string));

/** The Rally Connect app instances: the image, not the migrate one-shot. */
const appInstances = (compose: Compose) =>
  Object.entries(compose.services).filter(
    // The image's own command: migrate and backup run the CLI instead.
    ([, s]) => s.image?.includes('RALLY_VERSION') && s.command === undefined,
  );

let prod: Compose;
let simple: Compose;
let prodText: string;
let simpleText: string;
let caddyfile: string;
let example: ReturnType<typeof envExample>;
let deployWorkflow: Workflow;
let ci: Workflow;

beforeAll(async () => {
  prodText = await read('deploy/docker-compose.prod.yml');
  simpleText = await read('deploy/docker-compose.yml');
  prod = parseCompose(prodText);
  simple = parseCompose(simpleText);
  caddyfile = await read('deploy/Caddyfile');
  example = envExample(await read('deploy/.env.production.example'));
  deployWorkflow = parse(await read('.github/workflows/deploy.yml')) as Workflow;
  ci = parse(await read('.github/workflows/ci.yml')) as Workflow;
});

describe('production compose (deploy/docker-compose.prod.yml)', () => {
  it('gives every service a restart policy, CPU and memory limits, capped logs and a health check', () => {
    expect(Object.keys(prod.services).sort()).toEqual(
      ['app1', 'app2', 'backup', 'caddy', 'db', 'migrate', 'redis'].sort(),
    );
    for (const [name, service] of Object.entries(prod.services)) {
      expect(service.restart, name).toMatch(/^(no|always|unless-stopped|on-failure(:\d+)?)$/);
      expect(service.deploy?.resources?.limits?.cpus, name).toMatch(/^\d+(\.\d+)?$/);
      expect(service.deploy?.resources?.limits?.memory, name).toMatch(/^\d+[MG]$/);
      expect(service.logging?.driver, name).toBe('json-file');
      expect(service.logging?.options?.['max-size'], name).toMatch(/^\d+[km]$/);
      expect(Number(service.logging?.options?.['max-file']), name).toBeGreaterThan(0);
      if (service.restart === 'no') {
        // Only a one-shot may go without a health check: it exits when done.
        expect(name).toBe('migrate');
        expect(service.healthcheck?.disable).toBe(true);
      } else {
        expect(service.healthcheck?.test, name).toBeDefined();
        expect(service.healthcheck?.disable, name).toBeUndefined();
      }
    }
  });

  it('runs two app instances of one image, each given time to drain on stop', () => {
    const instances = appInstances(prod);
    const replicas = instances.reduce((n, [, s]) => n + (s.deploy?.replicas ?? 1), 0);
    expect(replicas).toBeGreaterThanOrEqual(2);
    expect(new Set(instances.map(([, s]) => s.image)).size).toBe(1);

    // What server/main.ts waits on SIGTERM in production: /ready 503 for the delay, then requests.
    const { shutdown } = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://rally.example.test',
      SESSION_SECRET: 'deploy-test-7Qv2pX9mL4tR8wZ1nB6cK3jH5dF0sG2yU8eA4iO7',
      OIDC_CLIENT_ID: 'client',
      OIDC_CLIENT_SECRET: 'secret',
    });
    expect(shutdown.delayMs + shutdown.timeoutMs).toBe(25_000);
    for (const [name, service] of instances) {
      expect(duration(service.stop_grace_period), name).toBeGreaterThan(
        shutdown.delayMs + shutdown.timeoutMs,
      );
      // The app migrates nothing and never sees the owner's or the administrator's password.
      expect(service.environment?.DATABASE_OWNER_URL, name).toBe('');
      expect(service.environment?.POSTGRES_PASSWORD, name).toBe('');
      expect(service.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    }
  });

  it('publishes only Caddy on the host; the app is reached through it alone', () => {
    for (const [name, service] of Object.entries(prod.services)) {
      expect(service.network_mode, name).toBeUndefined();
      if (name !== 'caddy') expect(service.ports, name).toBeUndefined();
    }
    expect(prod.services.caddy?.ports).toEqual(['80:80', '443:443', '443:443/udp']);
    // Which is what makes TRUST_PROXY=true safe: no visitor can reach the app to forge a header.
    expect(example.assigned.get('TRUST_PROXY')).toBe('true');
  });

  it('backs up in a service of its own, which alone with migrate has the owner; the instances do not back up', () => {
    const backup = prod.services.backup as Service;
    expect(backup.command).toEqual([
      'node',
      '--enable-source-maps',
      'dist/rally.js',
      'backup',
      'schedule',
    ]);
    // The owner's URL comes from the env file, not blanked as it is for the instances.
    expect(backup.environment?.DATABASE_OWNER_URL).toBeUndefined();
    expect(example.assigned.get('DATABASE_OWNER_URL')).toMatch(/^postgres:\/\/rally_owner:/);
    expect(backup.environment?.BACKUP_DIR).toBe('/app/backups');
    expect(backup.volumes).toContain('backups:/app/backups');
    expect(backup.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    for (const [name, service] of appInstances(prod)) {
      expect(service.environment?.BACKUP_DIR, name).toBe('');
      expect(service.volumes, name).toBeUndefined();
    }
    // The pre-deploy backup (deploy/deploy.sh) runs in migrate, into the same volume.
    expect(prod.services.migrate?.volumes).toContain('backups:/app/backups');
    expect(Object.keys(prod.volumes ?? {})).toContain('backups');
  });

  it('runs PostgreSQL 16 and Redis 7, and the image carries a PostgreSQL 16 client for rally backup', async () => {
    expect(prod.services.db?.image).toBe('postgres:16');
    expect(prod.services.redis?.image).toBe('redis:7');
    const dockerfile = await read('deploy/Dockerfile');
    expect(dockerfile).toMatch(/ARG PG_MAJOR=16\n/);
    expect(dockerfile).toContain(
      'apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}"',
    );
    expect(dockerfile).toContain('signed-by=/usr/share/keyrings/apt.postgresql.org.gpg');
    expect(dockerfile).toMatch(/rm -rf \/var\/lib\/apt\/lists\/\*/);
    // The key is checked against the PostgreSQL project's published fingerprint.
    expect(dockerfile).toContain('B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8');
    // The backups volume is mounted on a directory the app's user owns (a new volume copies it).
    expect(dockerfile).toMatch(
      /mkdir -p [^\n]*\/app\/backups && chown node:node [^\n]*\/app\/backups/,
    );
  });

  it('substitutes only variables that deploy/.env.production.example defines or documents', () => {
    for (const [file, text] of [
      ['docker-compose.prod.yml', prodText],
      ['docker-compose.yml', simpleText],
    ] as const) {
      const missing = [...substituted(text)].filter((name) => !example.documented.has(name));
      expect(missing, file).toEqual([]);
    }
    // Caddy's required ones must have a value in the example, or `docker compose config` fails.
    for (const name of ['RALLY_DOMAIN', 'ACME_EMAIL']) {
      expect(example.assigned.get(name), name).toBeTruthy();
    }
    expect(example.assigned.get('PUBLIC_URL')).toBe(
      `https://${example.assigned.get('RALLY_DOMAIN')}`,
    );
    // Documented for the other helpers' settings: backups to S3.
    expect(example.documented.has('BACKUP_S3_BUCKET')).toBe(true);
  });

  it('keeps db, redis, migrate and the app as deploy/docker-compose.yml has them (no drift)', () => {
    const same = (simpleName: string, prodName: string, except: string[]) => {
      const base = simple.services[simpleName] as Service;
      const copy = prod.services[prodName] as Service;
      for (const [key, value] of Object.entries(base)) {
        if (except.includes(key)) continue;
        if (key === 'environment') {
          // The production file may add variables, never change one.
          expect(copy.environment, `${prodName}.environment`).toMatchObject(value as object);
        } else {
          expect(copy[key as keyof Service], `${prodName}.${key}`).toEqual(value);
        }
      }
    };
    same('db', 'db', []);
    same('redis', 'redis', []);
    // The production file pulls the pipeline's image instead of building one.
    same('migrate', 'migrate', ['build']);
    // One instance publishes 127.0.0.1:4800 for your own proxy; the two behind Caddy do not.
    same('app', 'app1', ['ports']);
    same('app', 'app2', ['ports']);
  });
});

describe('Caddy (deploy/Caddyfile)', () => {
  it('takes its domain and ACME e-mail from the environment compose gives it', () => {
    const used = new Set([...caddyfile.matchAll(/\{\$([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(['ACME_EMAIL', 'RALLY_DOMAIN']);
    const environment = prod.services.caddy?.environment ?? {};
    for (const name of used) expect(environment[name as string], name).toContain(`\${${name}`);
    expect(prod.services.caddy?.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(caddyfile).toMatch(/^\s*email \{\$ACME_EMAIL\}$/m);
    expect(caddyfile).toMatch(/^\{\$RALLY_DOMAIN\} \{$/m);
  });

  it('balances over every app instance by its /ready, compresses, speaks HTTP/2 and HTTP/3', () => {
    const upstreams = /^\s*reverse_proxy ([^{]+)\{/m.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    const port = example.assigned.get('PORT');
    expect(upstreams?.sort()).toEqual(
      appInstances(prod)
        .map(([name]) => `${name}:${port}`)
        .sort(),
    );
    expect(caddyfile).toMatch(/^\s*lb_policy \w+$/m);
    expect(caddyfile).toMatch(/^\s*health_uri \/ready$/m);
    expect(caddyfile).toMatch(/^\s*encode zstd gzip$/m);
    expect(caddyfile).toMatch(/^\s*protocols h1 h2 h3$/m);
    // health_passes and health_fails came in Caddy 2.7.
    expect(prod.services.caddy?.image).toMatch(/^caddy:2(\.([7-9]|\d{2,})(\.\d+)?)?$/);
    // A stopping instance answers 503 on /ready for SHUTDOWN_DELAY_MS (5 s): checked more often.
    const interval = duration(/^\s*health_interval (\S+)$/m.exec(caddyfile)?.[1]);
    expect(interval).toBeLessThan(5000);
    // /metrics never leaves the host.
    expect(caddyfile).toMatch(/@metrics path \/metrics/);
    expect(caddyfile).toMatch(/respond @metrics 404/);
  });

  it('sets none of the security headers the app sends itself', () => {
    const headerLines = caddyfile.split('\n').filter((l) => /^\s*header\s/.test(l));
    for (const line of headerLines) {
      expect(line).not.toMatch(
        /strict-transport-security|content-security-policy|x-content-type-options|referrer-policy|x-frame-options|permissions-policy/i,
      );
    }
  });
});

describe('deploy pipeline (.github/workflows/deploy.yml)', () => {
  it('builds on pushes to main and on pull requests, and pushes to GHCR by commit and version', () => {
    expect(deployWorkflow.on.push).toEqual({ branches: ['main'] });
    expect(deployWorkflow.on).toHaveProperty('pull_request');
    const image = deployWorkflow.jobs.image as Job;
    expect(image.permissions?.packages).toBe('write');
    // Only the build job may write packages.
    expect(deployWorkflow.permissions).toEqual({ contents: 'read' });
    const names = image.steps.find((s) => s.id === 'names')?.run ?? '';
    expect(names).toContain('image=ghcr.io/${GITHUB_REPOSITORY,,}');
    expect(names).toContain('tag=sha-${GITHUB_SHA::12}');
    expect(names).toContain("require('./package.json').version");
    const tags = String(image.steps.find((s) => s.id === 'meta')?.with?.tags);
    for (const tag of [
      'steps.names.outputs.tag',
      'steps.names.outputs.version',
      'main',
      'latest',
    ]) {
      expect(tags).toContain(tag);
    }
    const build = image.steps.find((s) => s.uses?.startsWith('docker/build-push-action'));
    expect(build?.with).toMatchObject({ file: 'deploy/Dockerfile', push: true });
  });

  it('deploys pull requests to staging and main to production, through GitHub environments', () => {
    const deploy = deployWorkflow.jobs.deploy as Job;
    expect(deploy.needs).toBe('image');
    const environment = deploy.environment as { name: string };
    expect(environment.name).toBe(
      "${{ github.event_name == 'pull_request' && 'staging' || 'production' }}",
    );
  });

  it('reaches the host with secrets only, checking its key', async () => {
    const text = await read('.github/workflows/deploy.yml');
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    expect(text).not.toMatch(/StrictHostKeyChecking[ =]+no/i);
    const deploy = deployWorkflow.jobs.deploy as Job;
    const setup = deploy.steps.find((s) => s.name?.startsWith('SSH key')) as Step;
    expect(setup.env).toEqual({
      DEPLOY_SSH_KEY: '${{ secrets.DEPLOY_SSH_KEY }}',
      DEPLOY_KNOWN_HOSTS: '${{ secrets.DEPLOY_KNOWN_HOSTS }}',
      DEPLOY_HOST: '${{ secrets.DEPLOY_HOST }}',
      DEPLOY_USER: '${{ secrets.DEPLOY_USER }}',
    });
    expect(setup.run).toContain('StrictHostKeyChecking yes');
    expect(setup.run).toContain('> ~/.ssh/known_hosts');
  });

  it('runs deploy/deploy.sh, then the smoke test, and rolls back when the smoke test fails', () => {
    const steps = (deployWorkflow.jobs.deploy as Job).steps;
    const at = (predicate: (s: Step) => boolean) => steps.findIndex(predicate);
    const copy = at((s) => /scp .*deploy\/deploy\.sh/s.test(s.run ?? ''));
    const deploy = at((s) => /deploy\.sh' deploy '\$TAG'/.test(s.run ?? ''));
    const smoke = at((s) => /npm run test:smoke -- "\$PUBLIC_URL"/.test(s.run ?? ''));
    const rollback = at((s) => /deploy\.sh' rollback/.test(s.run ?? ''));
    expect(copy).toBeGreaterThanOrEqual(0);
    expect(deploy).toBeGreaterThan(copy);
    expect(smoke).toBeGreaterThan(deploy);
    expect(rollback).toBeGreaterThan(smoke);
    expect(steps[smoke]?.id).toBe('smoke');
    expect(steps[rollback]?.if).toBe("failure() && steps.smoke.outcome == 'failure'");
  });
});

describe('CI (.github/workflows/ci.yml)', () => {
  it('checks both compose files with docker compose config, on an env file made from the example', () => {
    const runs = Object.values(ci.jobs)
      .flatMap((job) => job.steps)
      .map((s) => s.run ?? '')
      .join('\n');
    expect(runs).toContain('cp deploy/.env.production.example deploy/.env.production');
    expect(runs).toContain('for file in deploy/docker-compose.yml deploy/docker-compose.prod.yml');
    expect(runs).toContain('docker compose --env-file deploy/.env.production -f "$file" config');
    expect(runs).toContain("docker image inspect --format '{{.Size}}'");
    expect(runs).toContain('caddy validate --config /etc/caddy/Caddyfile');
    expect(runs).toContain('shellcheck deploy/deploy.sh');
  });
});
