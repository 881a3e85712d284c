import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretWeakness } from './config';

/** What `openssl rand -base64 48` prints. */
const STRONG_SECRET = randomBytes(48).toString('base64');

/** A production configuration that starts; each test spoils one variable. */
const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: STRONG_SECRET,
  PUBLIC_URL: 'https://rally.example.org',
  OIDC_CLIENT_ID: 'a',
  OIDC_CLIENT_SECRET: 'b',
  RALLY_DATA_DIR: 'memory://',
};

describe('configuration', () => {
  it('has working defaults for a fresh clone: port 4800, embedded database, demo mode', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rally-config-'));
    const config = loadConfig({ RALLY_DATA_DIR: dir });
    expect(config.port).toBe(4800);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demoMode).toBe(true);
    expect(config.oidc).toBeUndefined();
    expect(config.publicUrl.href).toBe('http://localhost:4800/');
  });

  it('generates the session secret once and keeps it in the data directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rally-config-'));
    const first = loadConfig({ RALLY_DATA_DIR: dir }).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ RALLY_DATA_DIR: dir }).sessionSecret).toBe(first);
    expect(readFileSync(path.join(dir, 'session-secret'), 'utf8').trim()).toBe(first);
  });

  it('bounds the wait for a database connection and sheds load by default, each setting checked', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rally-config-'));
    const config = loadConfig({ RALLY_DATA_DIR: dir });
    expect(config.databasePoolSize).toBe(10);
    expect(config.databasePoolTimeoutMs).toBe(5000);
    expect(config.loadShed).toEqual({
      maxEventLoopDelayMs: 1000,
      maxHeapPercent: 90,
      maxDbWaiting: 0,
    });
    expect(
      loadConfig({
        RALLY_DATA_DIR: dir,
        DATABASE_POOL_SIZE: '4',
        DATABASE_POOL_TIMEOUT_MS: '250',
        LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
        LOAD_SHED_MAX_DB_WAITING: '40',
      }),
    ).toMatchObject({
      databasePoolSize: 4,
      databasePoolTimeoutMs: 250,
      loadShed: { maxEventLoopDelayMs: 0, maxDbWaiting: 40 },
    });
    expect(() =>
      loadConfig({
        RALLY_DATA_DIR: dir,
        DATABASE_POOL_SIZE: '0',
        DATABASE_POOL_TIMEOUT_MS: 'soon',
        LOAD_SHED_MAX_HEAP_PERCENT: '150',
      }),
    ).toThrow(/DATABASE_POOL_SIZE[\s\S]*DATABASE_POOL_TIMEOUT_MS[\s\S]*LOAD_SHED_MAX_HEAP_PERCENT/);
  });

  it('backs up daily only with BACKUP_DIR, at BACKUP_AT (UTC HH:MM, 03:00 by default)', () => {
    const memory = { RALLY_DATA_DIR: 'memory://' };
    expect(loadConfig(memory).backup).toMatchObject({ at: '03:00' });
    expect(loadConfig(memory).backup.dir).toBeUndefined();
    expect(
      loadConfig({ ...memory, BACKUP_DIR: 'backups', BACKUP_AT: '23:59' }).backup,
    ).toMatchObject({ dir: path.resolve('backups'), at: '23:59' });
    for (const at of ['3:00', '24:00', '03:60', '03:00Z', 'noon']) {
      expect(() => loadConfig({ ...memory, BACKUP_DIR: 'b', BACKUP_AT: at }), at).toThrow(
        /BACKUP_AT: must be a UTC time of day as HH:MM/,
      );
    }
    // On PostgreSQL the login role cannot read every row: the owner backs up.
    const postgres = { ...memory, DATABASE_URL: 'postgres://rally@db/rally', BACKUP_DIR: 'b' };
    expect(() => loadConfig(postgres)).toThrow(/BACKUP_DIR: on PostgreSQL set DATABASE_OWNER_URL/);
    expect(
      loadConfig({ ...postgres, DATABASE_OWNER_URL: 'postgres://owner@db/rally' }).backup.dir,
    ).toBe(path.resolve('b'));
  });

  it('names each bad variable in the error', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://db/x', LOG_LEVEL: 'loud' }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*LOG_LEVEL/);
  });

  it('requires PUBLIC_URL and an identity provider in production', () => {
    const base = { NODE_ENV: 'production', SESSION_SECRET: STRONG_SECRET };
    expect(() => loadConfig({ ...base, OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' })).toThrow(
      /PUBLIC_URL: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'https://rally.example.org' })).toThrow(
      /OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: required when NODE_ENV=production/,
    );
    const config = loadConfig({
      ...base,
      PUBLIC_URL: 'https://rally.example.org',
      OIDC_CLIENT_ID: 'a',
      OIDC_CLIENT_SECRET: 'b',
    });
    expect(config.publicUrl.protocol).toBe('https:');
  });

  it('requires SESSION_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', RALLY_DATA_DIR: 'memory://' })).toThrow(
      /SESSION_SECRET: required when NODE_ENV=production/,
    );
  });

  it("refuses the example file's placeholder secret in production, naming the variable", () => {
    const example = readFileSync(
      path.join(import.meta.dirname, '../deploy/.env.production.example'),
      'utf8',
    );
    const placeholder = /^SESSION_SECRET=(.*)$/m.exec(example)?.[1];
    expect(placeholder).toBeTruthy();
    expect(() => loadConfig({ ...PRODUCTION, SESSION_SECRET: placeholder })).toThrow(
      /SESSION_SECRET: is a placeholder[\s\S]*openssl rand -base64 48/,
    );
  });

  it('refuses a production secret with too little entropy', () => {
    for (const weak of [
      'a'.repeat(32),
      'ab'.repeat(16),
      '0123456789abcdef'.repeat(2),
      'Summer2024!'.repeat(3),
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab1',
    ]) {
      expect(() => loadConfig({ ...PRODUCTION, SESSION_SECRET: weak }), weak).toThrow(
        /SESSION_SECRET: (is one short string repeated|has too little entropy)/,
      );
    }
    expect(() => loadConfig({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(31) })).toThrow(
      /SESSION_SECRET: must be at least 32 characters/,
    );
  });

  it('accepts what openssl rand prints, and weak secrets outside production', () => {
    for (let i = 0; i < 200; i++) {
      expect(secretWeakness(randomBytes(48).toString('base64'))).toBeUndefined();
      expect(secretWeakness(randomBytes(32).toString('hex'))).toBeUndefined();
      expect(secretWeakness(randomBytes(16).toString('hex'))).toBeUndefined();
    }
    expect(loadConfig({ ...PRODUCTION, NODE_ENV: 'development' }).sessionSecret).toBe(
      STRONG_SECRET,
    );
    const weak = 'a'.repeat(32);
    expect(loadConfig({ RALLY_DATA_DIR: 'memory://', SESSION_SECRET: weak }).sessionSecret).toBe(
      weak,
    );
  });

  it('requires an https PUBLIC_URL in production', () => {
    expect(() => loadConfig({ ...PRODUCTION, PUBLIC_URL: 'http://rally.example.org' })).toThrow(
      /PUBLIC_URL: must be an https:\/\/ address when NODE_ENV=production/,
    );
    expect(loadConfig(PRODUCTION).publicUrl.protocol).toBe('https:');
  });

  it('caps sessions at SESSION_MAX_DAYS (90 by default), never below SESSION_TTL_DAYS', () => {
    const base = { RALLY_DATA_DIR: 'memory://' };
    expect(loadConfig(base).sessionMaxDays).toBe(90);
    expect(loadConfig({ ...base, SESSION_MAX_DAYS: '30' }).sessionMaxDays).toBe(30);
    expect(() => loadConfig({ ...base, SESSION_MAX_DAYS: '20' })).toThrow(
      /SESSION_MAX_DAYS: must be at least SESSION_TTL_DAYS/,
    );
    expect(() => loadConfig({ ...base, SESSION_MAX_DAYS: '0' })).toThrow(/SESSION_MAX_DAYS/);
  });

  it('serves metrics only with METRICS_TOKEN in production, and on loopback without it elsewhere', () => {
    expect(loadConfig(PRODUCTION).metrics).toEqual({ token: undefined, openOnLoopback: false });
    const token = randomBytes(32).toString('hex');
    expect(loadConfig({ ...PRODUCTION, METRICS_TOKEN: token }).metrics.token).toBe(token);
    expect(loadConfig({ RALLY_DATA_DIR: 'memory://' }).metrics).toEqual({
      token: undefined,
      openOnLoopback: true,
    });
    expect(() => loadConfig({ ...PRODUCTION, METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_TOKEN: must be at least 32 characters/,
    );
  });

  it('refuses demo mode in production, and never turns it on by default there', () => {
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: STRONG_SECRET,
      PUBLIC_URL: 'https://rally.example.org',
      OIDC_CLIENT_ID: 'a',
      OIDC_CLIENT_SECRET: 'b',
    };
    expect(() => loadConfig({ ...production, DEMO_MODE: 'true' })).toThrow(ConfigError);
    expect(loadConfig(production).demoMode).toBe(false);
  });

  it('turns demo mode off by default once an identity provider or a database server is set', () => {
    const base = { RALLY_DATA_DIR: 'memory://' };
    expect(loadConfig({ ...base, OIDC_CLIENT_ID: 'id', OIDC_CLIENT_SECRET: 's' }).demoMode).toBe(
      false,
    );
    expect(loadConfig({ ...base, DATABASE_URL: 'postgres://localhost/rally' }).demoMode).toBe(
      false,
    );
    expect(
      loadConfig({ ...base, DATABASE_URL: 'postgres://h/r', DEMO_MODE: 'true' }).demoMode,
    ).toBe(true);
  });

  it('takes the owner URL for migrations only together with the app login URL', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rally-config-'));
    const owner = 'postgres://rally_owner:pw@db:5432/rally';
    expect(() => loadConfig({ RALLY_DATA_DIR: dir, DATABASE_OWNER_URL: owner })).toThrow(
      /DATABASE_OWNER_URL: set DATABASE_URL too/,
    );
    const config = loadConfig({
      RALLY_DATA_DIR: dir,
      DATABASE_URL: 'postgres://rally:pw@db:5432/rally',
      DATABASE_OWNER_URL: owner,
    });
    expect(config.databaseOwnerUrl).toBe(owner);
    expect(() =>
      loadConfig({ RALLY_DATA_DIR: dir, DATABASE_URL: owner, DATABASE_OWNER_URL: 'mysql://x' }),
    ).toThrow(/DATABASE_OWNER_URL: must be a postgres:\/\/ URL/);
  });

  it('wants both OIDC client variables or neither', () => {
    expect(() => loadConfig({ RALLY_DATA_DIR: 'memory://', OIDC_CLIENT_ID: 'id' })).toThrow(
      /OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set both or neither/,
    );
  });

  it('keeps 7 daily, 4 weekly, 12 monthly backups by default, and uploads nowhere', () => {
    const config = loadConfig({ RALLY_DATA_DIR: 'memory://' });
    expect(config.backup).toEqual({
      at: '03:00',
      s3: undefined,
      keep: { daily: 7, weekly: 4, monthly: 12 },
    });
  });

  it('reads the bucket settings: path-style endpoint, prefix without slashes, both keys or the SDK chain', () => {
    const base = { RALLY_DATA_DIR: 'memory://', BACKUP_S3_BUCKET: 'rally-backups' };
    expect(loadConfig(base).backup.s3).toEqual({
      bucket: 'rally-backups',
      prefix: '',
      endpoint: undefined,
      region: 'us-east-1',
      credentials: undefined,
    });
    const minio = loadConfig({
      ...base,
      BACKUP_S3_PREFIX: '/prod/rally/',
      BACKUP_S3_ENDPOINT: 'http://minio:9000',
      BACKUP_S3_REGION: 'eu-central-003',
      BACKUP_S3_ACCESS_KEY_ID: 'id',
      BACKUP_S3_SECRET_ACCESS_KEY: 'secret',
      BACKUP_KEEP_DAILY: '0',
    });
    expect(minio.backup.s3).toEqual({
      bucket: 'rally-backups',
      prefix: 'prod/rally',
      endpoint: 'http://minio:9000',
      region: 'eu-central-003',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    expect(minio.backup.keep.daily).toBe(0);
  });

  it.each([
    [{ BACKUP_S3_BUCKET: 'rally', BACKUP_S3_ENDPOINT: 'minio:9000' }, 'BACKUP_S3_ENDPOINT'],
    [{ BACKUP_S3_BUCKET: 's3://b' }, 'BACKUP_S3_BUCKET: must be a bucket name'],
    [{ BACKUP_S3_BUCKET: 'rally', BACKUP_S3_ACCESS_KEY_ID: 'id' }, 'set both or neither'],
    [{ BACKUP_S3_ENDPOINT: 'http://minio:9000' }, 'BACKUP_S3_ENDPOINT: set BACKUP_S3_BUCKET too'],
    [{ BACKUP_KEEP_DAILY: '-1' }, 'BACKUP_KEEP_DAILY'],
    [{ BACKUP_KEEP_MONTHLY: '1.5' }, 'BACKUP_KEEP_MONTHLY'],
    [{ BACKUP_KEEP_WEEKLY: 'four' }, 'BACKUP_KEEP_WEEKLY'],
  ])('refuses backup settings %o, naming the variable', (env, message) => {
    expect(() => loadConfig({ RALLY_DATA_DIR: 'memory://', ...env })).toThrow(message);
  });

  it('uses Google as the default identity provider', () => {
    const config = loadConfig({
      RALLY_DATA_DIR: 'memory://',
      OIDC_CLIENT_ID: 'a',
      OIDC_CLIENT_SECRET: 'b',
    });
    expect(config.oidc?.issuer.href).toBe('https://accounts.google.com/');
  });
});

describe('error tracking settings (SENTRY_*)', () => {
  const base = { RALLY_DATA_DIR: 'memory://' };

  it('is off without SENTRY_DSN', () => {
    expect(loadConfig(base).errorTracking).toBeUndefined();
  });

  it('labels reports with the NODE_ENV and the package version unless told otherwise', () => {
    const version = (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(
      loadConfig({ ...base, SENTRY_DSN: 'https://k3y@o1.ingest.sentry.io/12' }).errorTracking,
    ).toEqual({
      dsn: 'https://k3y@o1.ingest.sentry.io/12',
      publicDsn: 'https://k3y@o1.ingest.sentry.io/12',
      environment: 'development',
      release: `rally-connect@${version}`,
    });
    const told = loadConfig({
      ...base,
      SENTRY_DSN: 'https://k3y@glitchtip.example.org/3',
      SENTRY_ENVIRONMENT: 'staging',
      SENTRY_RELEASE: 'rally-connect@2026.12.1+abc123',
    }).errorTracking;
    expect(told?.environment).toBe('staging');
    expect(told?.release).toBe('rally-connect@2026.12.1+abc123');
  });

  it('gives browsers the DSN without a legacy secret key', () => {
    const config = loadConfig({ ...base, SENTRY_DSN: 'https://k3y:s3cret@sentry.example.org/5' });
    expect(config.errorTracking?.publicDsn).toBe('https://k3y@sentry.example.org/5');
  });

  it('refuses what is not a DSN, naming the variable', () => {
    for (const dsn of [
      'not a url',
      'ftp://k3y@sentry.example.org/5',
      'https://sentry.example.org/5',
      'https://k3y@sentry.example.org/',
    ]) {
      expect(() => loadConfig({ ...base, SENTRY_DSN: dsn }), dsn).toThrow(
        /SENTRY_DSN: must be a DSN/,
      );
    }
    expect(() =>
      loadConfig({ ...base, SENTRY_DSN: 'https://k@h/1', SENTRY_ENVIRONMENT: 'a b' }),
    ).toThrow(ConfigError);
  });
});
