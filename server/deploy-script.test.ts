/**
 * deploy/deploy.sh, run for real by bash, with a `docker` command on its PATH that records each
 * call and answers as a host would (Docker itself is not on the test machines: the stand-in is
 * only the one program that is truly outside). The order is what matters: back up, pull,
 * migrate, roll the instances one at a time, smoke-test; and on a failing smoke test, the
 * instances back on the image that ran before, and a failed exit.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMAGE = 'ghcr.io/acme/rally-connect';
const BACKUP = '/app/backups/rally-postgres-20261204T180000Z-0019_backups.rally-backup';

/**
 * The stand-in: one line per call, `<RALLY_VERSION>|<arguments>`. It answers `compose ps -q app1`
 * with a container when FAKE_RUNNING names a tag, `inspect` with that tag's image, the backup with
 * a file's path as its last line, and fails the smoke test of each tag in FAKE_SMOKE_FAILS, the
 * migration when FAKE_MIGRATE_FAILS is set, and the /ready probe of the tag FAKE_NOT_READY.
 */
const FAKE_DOCKER = `#!/usr/bin/env bash
printf '%s|%s\\n' "\${RALLY_VERSION:-}" "$*" >> "$FAKE_DOCKER_LOG"
args=" $* "
case "$args" in
  *" ps -q app1 "*) if [[ -n "\${FAKE_RUNNING:-}" ]]; then echo container-app1; fi ;;
  *" inspect "*) echo "${IMAGE}:$FAKE_RUNNING" ;;
  *" backup --to /app/backups "*) echo 'rally: backed up in 1.0 s' >&2; echo '${BACKUP}' ;;
  *" run --rm --no-deps -T migrate "*) if [[ -n "\${FAKE_MIGRATE_FAILS:-}" ]]; then exit 1; fi ;;
  *" exec -T app"*"/ready"*) if [[ "$RALLY_VERSION" == "\${FAKE_NOT_READY:-}" ]]; then exit 1; fi ;;
  *" run --rm --network host "*)
    for tag in \${FAKE_SMOKE_FAILS:-}; do
      if [[ "$args" == *":$tag node dist/smoke.js "* ]]; then echo 'smoke: 3 of 9 checks failed'; exit 1; fi
    done
    echo 'smoke: all 10 checks passed' ;;
esac
exit 0
`;

interface Run {
  code: number;
  output: string;
  /** `<RALLY_VERSION>|<arguments>` of each docker call, in order. */
  calls: string[];
}

let dir: string;
let bin: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rally-deploy-'));
  bin = path.join(dir, 'bin');
  const host = path.join(dir, 'host');
  await mkdir(bin);
  await mkdir(host);
  await writeFile(path.join(bin, 'docker'), FAKE_DOCKER);
  await chmod(path.join(bin, 'docker'), 0o755);
  // The host's copy of deploy/, as the workflow leaves it, with the operator's env file.
  await copyFile(path.join(ROOT, 'deploy/deploy.sh'), path.join(host, 'deploy.sh'));
  await copyFile(
    path.join(ROOT, 'deploy/.env.production.example'),
    path.join(host, '.env.production'),
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function deploySh(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const log = path.join(dir, 'docker.log');
  return new Promise((resolve) => {
    execFile(
      'bash',
      [path.join(dir, 'host/deploy.sh'), ...args],
      {
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          FAKE_DOCKER_LOG: log,
          RALLY_IMAGE: IMAGE,
          ...env,
        },
      },
      async (error, stdout, stderr) => {
        const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`, calls });
      },
    );
  });
}

/** The position of the first call matching `pattern` made with RALLY_VERSION `tag`, after `from`. */
function indexOf(calls: string[], tag: string, pattern: RegExp, from = 0): number {
  const found = calls.findIndex((c, i) => i >= from && c.startsWith(`${tag}|`) && pattern.test(c));
  if (found < 0)
    throw new Error(`no call ${pattern} with ${tag} after ${from}:\n${calls.join('\n')}`);
  return found;
}

const BACKUP_CALL =
  /run --rm --no-deps -T migrate node dist\/rally\.js backup --to \/app\/backups$/;
const PULL = / pull migrate$/;
const MIGRATE = /run --rm --no-deps -T migrate$/;
const up = (instance: string, timeout = 120) =>
  new RegExp(` up -d --no-deps --wait --wait-timeout ${timeout} ${instance}$`);
const smokeOf = (tag: string) =>
  new RegExp(
    `^\\|run --rm --network host ${IMAGE}:${tag} node dist/smoke\\.js https://rally\\.example\\.org$`,
  );

describe('deploy/deploy.sh', () => {
  it('backs up, pulls, migrates, rolls app1 then app2, smoke-tests, and records the release', async () => {
    const run = await deploySh(['deploy', 'sha-new'], { FAKE_RUNNING: 'sha-old' });
    expect(run.output).toContain(
      'deploying ghcr.io/acme/rally-connect:sha-new (running now: sha-old)',
    );
    expect(run.code).toBe(0);
    const { calls } = run;
    // The backup is taken by the version that runs now, before anything changes.
    const backup = indexOf(calls, 'sha-old', BACKUP_CALL);
    const pull = indexOf(calls, 'sha-new', PULL, backup);
    const migrate = indexOf(calls, 'sha-new', MIGRATE, pull);
    const app1 = indexOf(calls, 'sha-new', up('app1'), migrate);
    const ready1 = indexOf(calls, 'sha-new', /exec -T app1 node -e .*\/ready/, app1);
    const app2 = indexOf(calls, 'sha-new', up('app2'), ready1);
    indexOf(calls, 'sha-new', /exec -T app2 node -e .*\/ready/, app2);
    const smoke = calls.findIndex((c) => smokeOf('sha-new').test(c));
    expect(smoke).toBeGreaterThan(app2);
    // Nothing went back to the old image.
    expect(calls.filter((c) => c.startsWith('sha-old|') && / up /.test(c))).toEqual([]);
    expect(run.output).toContain(`pre-deploy backup: ${BACKUP}`);
    expect(await readFile(path.join(dir, 'host/.deploy-state'), 'utf8')).toBe(
      `current=sha-new\nprevious=sha-old\nbackup=${BACKUP}\n`,
    );
  });

  it('rolls both instances back to the recorded image and exits 1 when the smoke test fails', async () => {
    const run = await deploySh(['deploy', 'sha-new'], {
      FAKE_RUNNING: 'sha-old',
      FAKE_SMOKE_FAILS: 'sha-new',
    });
    expect(run.code).toBe(1);
    const { calls } = run;
    const smokeNew = calls.findIndex((c) => smokeOf('sha-new').test(c));
    expect(smokeNew).toBeGreaterThan(indexOf(calls, 'sha-new', up('app2')));
    const back1 = indexOf(calls, 'sha-old', up('app1'), smokeNew);
    const back2 = indexOf(calls, 'sha-old', up('app2'), back1);
    // The old version is smoke-tested too: the rollback is checked, not assumed.
    expect(calls.findIndex((c) => smokeOf('sha-old').test(c))).toBeGreaterThan(back2);
    expect(run.output).toMatch(
      /sha-new failed and was rolled back to sha-old\. If sha-new's migration broke sha-old, restore \S+rally-backup/,
    );
    expect(await readFile(path.join(dir, 'host/.deploy-state'), 'utf8')).toMatch(
      /^current=sha-old\n/,
    );
  });

  it('rolls back when a new instance never answers /ready, without touching the second one', async () => {
    const run = await deploySh(['deploy', 'sha-new'], {
      FAKE_RUNNING: 'sha-old',
      FAKE_NOT_READY: 'sha-new',
      READY_TIMEOUT_S: '2',
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('app1 did not answer /ready within 2 s');
    const { calls } = run;
    const app1 = indexOf(calls, 'sha-new', up('app1', 2));
    // Polled until the timeout, then given up: app2 never sees the new image, nor does the smoke test.
    expect(calls.filter((c) => /^sha-new\|.*exec -T app1 /.test(c))).toHaveLength(2);
    expect(calls.some((c) => c.startsWith('sha-new|') && up('app2', 2).test(c))).toBe(false);
    expect(calls.some((c) => smokeOf('sha-new').test(c))).toBe(false);
    const back1 = indexOf(calls, 'sha-old', up('app1', 2), app1);
    indexOf(calls, 'sha-old', up('app2', 2), back1);
  });

  it('stops before touching an instance when the migration fails', async () => {
    const run = await deploySh(['deploy', 'sha-new'], {
      FAKE_RUNNING: 'sha-old',
      FAKE_MIGRATE_FAILS: '1',
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('the migration failed; the instances still run sha-old');
    indexOf(run.calls, 'sha-new', MIGRATE);
    expect(run.calls.filter((c) => / up -d --no-deps /.test(c))).toEqual([]);
  });

  it('fails a first deploy whose smoke test fails, with nothing to roll back to', async () => {
    const run = await deploySh(['deploy', 'sha-new'], { FAKE_SMOKE_FAILS: 'sha-new' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('first deploy: nothing to back up');
    expect(run.output).toContain('there is no previous version to roll back to');
    expect(run.calls.some((c) => BACKUP_CALL.test(c))).toBe(false);
  });

  it('rolls back on request to the version before the last deploy (the workflow rollback step)', async () => {
    expect((await deploySh(['deploy', 'sha-new'], { FAKE_RUNNING: 'sha-old' })).code).toBe(0);
    await rm(path.join(dir, 'docker.log'));
    const run = await deploySh(['rollback'], { FAKE_RUNNING: 'sha-new' });
    expect(run.code).toBe(0);
    const rollbackCalls = run.calls;
    const app1 = indexOf(rollbackCalls, 'sha-old', up('app1'));
    indexOf(rollbackCalls, 'sha-old', up('app2'), app1);
    expect(rollbackCalls.some((c) => smokeOf('sha-old').test(c))).toBe(true);
    expect(await readFile(path.join(dir, 'host/.deploy-state'), 'utf8')).toMatch(
      /^current=sha-old\nprevious=sha-new\n/,
    );
  });

  it('refuses a command line without a tag', async () => {
    const run = await deploySh(['deploy']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('usage: deploy.sh deploy <tag>');
    expect(run.calls).toEqual([]);
  });
});
