import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const GOOGLE_ISSUER = 'https://accounts.google.com';

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

/** A duration in milliseconds, from 1 s to 10 min. */
const milliseconds = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).max(600_000).default(fallback));

/** A count of backups to keep: a whole number, 0 or more. */
const keepCount = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(10_000).default(fallback));

/** The environment variables Rally Connect reads, with their rules (README has the table). */
const EnvSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(4800)),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  ),
  DATABASE_OWNER_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  ),
  RALLY_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default('./data')),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  ),
  SESSION_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  OIDC_ISSUER_URL: z.preprocess(emptyAsUndefined, z.url().default(GOOGLE_ISSUER)),
  OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  DEMO_MODE: z.preprocess(emptyAsUndefined, booleanString.optional()),
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  ),
  MAIL_FROM: z.preprocess(
    emptyAsUndefined,
    z.string().default('Rally Connect <no-reply@localhost>'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, booleanString.default(false)),
  SESSION_TTL_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(365).default(30),
  ),
  SESSION_MAX_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(3650).default(90),
  ),
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(32, 'must be at least 32 characters (openssl rand -hex 32)')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  RATE_LIMIT_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(10).max(1_000_000).default(600),
  ),
  REQUEST_TIMEOUT_MS: milliseconds(30_000),
  HEADERS_TIMEOUT_MS: milliseconds(10_000),
  KEEP_ALIVE_TIMEOUT_MS: milliseconds(72_000),
  IDLE_TIMEOUT_MS: milliseconds(120_000),
  SHUTDOWN_DELAY_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(120_000).optional(),
  ),
  SHUTDOWN_TIMEOUT_MS: milliseconds(20_000),
  DATABASE_POOL_SIZE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(1000).default(10),
  ),
  DATABASE_POOL_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(10).max(600_000).default(5000),
  ),
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(60_000).default(1000),
  ),
  LOAD_SHED_MAX_HEAP_PERCENT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(100).default(90),
  ),
  LOAD_SHED_MAX_DB_WAITING: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(1_000_000).default(0),
  ),
  BACKUP_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  BACKUP_AT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a UTC time of day as HH:MM, such as 03:00')
      .default('03:00'),
  ),
  BACKUP_S3_BUCKET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}$/, 'must be a bucket name, not a URL')
      .optional(),
  ),
  BACKUP_S3_PREFIX: z.preprocess(emptyAsUndefined, z.string().default('')),
  BACKUP_S3_ENDPOINT: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  ),
  BACKUP_S3_REGION: z.preprocess(emptyAsUndefined, z.string().min(1).default('us-east-1')),
  BACKUP_S3_ACCESS_KEY_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  BACKUP_S3_SECRET_ACCESS_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  BACKUP_KEEP_DAILY: keepCount(7),
  BACKUP_KEEP_WEEKLY: keepCount(4),
  BACKUP_KEEP_MONTHLY: keepCount(12),
  SENTRY_DSN: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be a DSN: https://<key>@<host>/<project-id>' })
      .optional(),
  ),
  SENTRY_ENVIRONMENT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(64)
      .regex(/^[\w.-]+$/, 'must be letters, digits, ".", "_" or "-"')
      .optional(),
  ),
  SENTRY_RELEASE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(200)
      .regex(/^[\w.@+:/-]+$/, 'must be printable without spaces')
      .optional(),
  ),
});

/** Where backups go and how many are kept (server/backup/, docs/deployment.md#backups). */
export interface BackupConfig {
  /**
   * Scheduled backups (server/backup/schedule.ts) go here, once a day at `at` (UTC, `HH:MM`);
   * absent, nothing backs up by itself. Also the default directory of `rally backup prune`.
   */
  dir?: string;
  at: string;
  /** Absent: backups stay on this machine only. */
  s3:
    | {
        bucket: string;
        /** A folder in the bucket, without slashes at either end; '' is the bucket's top. */
        prefix: string;
        /** An S3-compatible service's URL (addressed path-style); absent: AWS S3 itself. */
        endpoint: string | undefined;
        region: string;
        /** Absent: the AWS SDK's default chain (environment, shared files, instance role). */
        credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      }
    | undefined;
  /** Newest backup of each of the last `daily` days, `weekly` ISO weeks, `monthly` months. */
  keep: { daily: number; weekly: number; monthly: number };
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: URL;
  /** Absent: embedded PGlite in `dataDir` (`memory://` keeps it in memory). */
  databaseUrl: string | undefined;
  /**
   * The owner role's URL: migrations (and the demo seed) run with it; absent, they run with
   * `databaseUrl`, which then must own the tables (a setup `/ready` refuses, decision 0007).
   */
  databaseOwnerUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  sessionSecret: string;
  sessionTtlDays: number;
  /** A session ends this many days after sign-in, however much it is used. */
  sessionMaxDays: number;
  oidc: { issuer: URL; clientId: string; clientSecret: string } | undefined;
  demoMode: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  /**
   * Who may read `/metrics`: with a token, whoever sends it as a bearer token; without one, only
   * clients on this machine (by socket address) when `openOnLoopback`, else nobody (production).
   */
  metrics: { token: string | undefined; openOnLoopback: boolean };
  /** Requests per minute per client address. */
  rateLimits: { global: number; auth: number };
  /**
   * How long a client may take, in milliseconds: to send a whole request (`requestMs`, body
   * included) and its headers (`headersMs`); how long an idle keep-alive connection stays open
   * (`keepAliveMs`), and any connection without traffic in either direction (`idleMs`).
   */
  timeouts: { requestMs: number; headersMs: number; keepAliveMs: number; idleMs: number };
  /**
   * Stopping on SIGTERM (server/main.ts): `/ready` answers 503 for `delayMs` while everything else
   * is still served, so that load balancers stop sending new requests; then no connection is
   * accepted and the requests in flight get `timeoutMs` to finish before the process exits.
   */
  shutdown: { delayMs: number; timeoutMs: number };
  /** PostgreSQL connections at most (embedded PGlite has one). */
  databasePoolSize: number;
  /** How long a request waits for a database connection before it is answered 503. */
  databasePoolTimeoutMs: number;
  /**
   * Load shedding (server/plugins/overload.ts): new requests are answered 503 while the event
   * loop's mean delay, the V8 heap's use (percent of its limit) or the requests waiting for a
   * database connection are above these. 0 turns a check off.
   */
  loadShed: { maxEventLoopDelayMs: number; maxHeapPercent: number; maxDbWaiting: number };
  backup: BackupConfig;
  /** Where the built web app is; absent files mean an API-only server. */
  webDir: string;
  /**
   * Error reports to Sentry or GlitchTip (server/plugins/error-tracking.ts), when `SENTRY_DSN` is
   * set: `dsn` as given, `publicDsn` without a legacy secret key (the web app gets that one).
   */
  errorTracking: ErrorTrackingConfig | undefined;
}

/** Where error reports go, and how they are labelled (`SENTRY_*`). */
export interface ErrorTrackingConfig {
  dsn: string;
  publicDsn: string;
  environment: string;
  release: string;
}

/** A configuration problem found at boot; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the configuration once, at boot. This is the only reader of `process.env`:
 * everything else receives the returned `Config`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const embedded = e.DATABASE_URL === undefined;

  if (production && !e.SESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_SECRET: required when NODE_ENV=production',
    );
  }
  const weakness = production && e.SESSION_SECRET ? secretWeakness(e.SESSION_SECRET) : undefined;
  if (weakness) {
    throw new ConfigError(
      `Invalid configuration:\n  SESSION_SECRET: ${weakness} (NODE_ENV=production); generate one with: openssl rand -base64 48`,
    );
  }
  if (e.SESSION_MAX_DAYS < e.SESSION_TTL_DAYS) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_MAX_DAYS: must be at least SESSION_TTL_DAYS (the absolute lifetime caps the sliding one)',
    );
  }
  if (e.DATABASE_OWNER_URL && embedded) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_OWNER_URL: set DATABASE_URL too (the embedded database has no owner URL)',
    );
  }
  if (Boolean(e.OIDC_CLIENT_ID) !== Boolean(e.OIDC_CLIENT_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set both or neither',
    );
  }
  if (production && !e.PUBLIC_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_URL: required when NODE_ENV=production (sign-in redirects and secure cookies depend on it)',
    );
  }
  if (production && e.PUBLIC_URL && new URL(e.PUBLIC_URL).protocol !== 'https:') {
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_URL: must be an https:// address when NODE_ENV=production (session cookies are Secure only over https)',
    );
  }
  if (production && !e.OIDC_CLIENT_ID) {
    throw new ConfigError(
      'Invalid configuration:\n  OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: required when NODE_ENV=production (demo sign-in is off there, so nobody could sign in)',
    );
  }
  if (production && e.DEMO_MODE === true) {
    throw new ConfigError(
      'Invalid configuration:\n  DEMO_MODE: never allowed when NODE_ENV=production',
    );
  }
  if (e.BACKUP_DIR && !embedded && !e.DATABASE_OWNER_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  BACKUP_DIR: on PostgreSQL set DATABASE_OWNER_URL too (a backup reads every row as the owner of the tables; the login role may not)',
    );
  }
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration:\n  HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  if (Boolean(e.BACKUP_S3_ACCESS_KEY_ID) !== Boolean(e.BACKUP_S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError(
      'Invalid configuration:\n  BACKUP_S3_ACCESS_KEY_ID, BACKUP_S3_SECRET_ACCESS_KEY: set both or neither',
    );
  }
  const bucketSettings = (
    [
      'BACKUP_S3_PREFIX',
      'BACKUP_S3_ENDPOINT',
      'BACKUP_S3_ACCESS_KEY_ID',
      'BACKUP_S3_SECRET_ACCESS_KEY',
    ] as const
  ).filter((name) => emptyAsUndefined(env[name]) !== undefined);
  if (!e.BACKUP_S3_BUCKET && bucketSettings.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  ${bucketSettings.join(', ')}: set BACKUP_S3_BUCKET too (without a bucket nothing is uploaded)`,
    );
  }
  const demoMode = production ? false : (e.DEMO_MODE ?? (embedded && !e.OIDC_CLIENT_ID));
  const errorTracking = e.SENTRY_DSN
    ? {
        dsn: e.SENTRY_DSN,
        publicDsn: publicDsn(e.SENTRY_DSN),
        environment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV,
        release: e.SENTRY_RELEASE ?? `rally-connect@${packageVersion()}`,
      }
    : undefined;

  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const dataDir = e.RALLY_DATA_DIR === 'memory://' ? 'memory://' : path.resolve(e.RALLY_DATA_DIR);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    dataDir,
    redisUrl: e.REDIS_URL,
    sessionSecret: e.SESSION_SECRET ?? localSecret(dataDir),
    sessionTtlDays: e.SESSION_TTL_DAYS,
    sessionMaxDays: e.SESSION_MAX_DAYS,
    oidc:
      e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: new URL(e.OIDC_ISSUER_URL),
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
          }
        : undefined,
    demoMode,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    // In production a reverse proxy on the same machine makes every client look local.
    metrics: { token: e.METRICS_TOKEN, openOnLoopback: !production },
    rateLimits: { global: e.RATE_LIMIT_PER_MINUTE, auth: 30 },
    timeouts: {
      requestMs: e.REQUEST_TIMEOUT_MS,
      headersMs: e.HEADERS_TIMEOUT_MS,
      keepAliveMs: e.KEEP_ALIVE_TIMEOUT_MS,
      idleMs: e.IDLE_TIMEOUT_MS,
    },
    // A load balancer probing every 2 s notices within 5 s; a developer's Ctrl-C should not wait.
    shutdown: {
      delayMs: e.SHUTDOWN_DELAY_MS ?? (production ? 5000 : 0),
      timeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    },
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databasePoolTimeoutMs: e.DATABASE_POOL_TIMEOUT_MS,
    loadShed: {
      maxEventLoopDelayMs: e.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapPercent: e.LOAD_SHED_MAX_HEAP_PERCENT,
      maxDbWaiting: e.LOAD_SHED_MAX_DB_WAITING,
    },
    backup: {
      ...(e.BACKUP_DIR ? { dir: path.resolve(e.BACKUP_DIR) } : {}),
      at: e.BACKUP_AT,
      s3: e.BACKUP_S3_BUCKET
        ? {
            bucket: e.BACKUP_S3_BUCKET,
            prefix: e.BACKUP_S3_PREFIX.replace(/^\/+|\/+$/g, ''),
            endpoint: e.BACKUP_S3_ENDPOINT,
            region: e.BACKUP_S3_REGION,
            credentials:
              e.BACKUP_S3_ACCESS_KEY_ID && e.BACKUP_S3_SECRET_ACCESS_KEY
                ? {
                    accessKeyId: e.BACKUP_S3_ACCESS_KEY_ID,
                    secretAccessKey: e.BACKUP_S3_SECRET_ACCESS_KEY,
                  }
                : undefined,
          }
        : undefined,
      keep: {
        daily: e.BACKUP_KEEP_DAILY,
        weekly: e.BACKUP_KEEP_WEEKLY,
        monthly: e.BACKUP_KEEP_MONTHLY,
      },
    },
    webDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    errorTracking,
  };
}

/**
 * A DSN as browsers may see it: the public key, host and project, without the secret key that
 * older DSNs carried (`https://<key>:<secret>@…`). Refuses a DSN without a key or project id.
 */
function publicDsn(dsn: string): string {
  const url = new URL(dsn);
  const project = url.pathname.split('/').pop();
  if (!url.username || !project || !/^[\w-]+$/.test(project) || url.search || url.hash) {
    throw new ConfigError(
      'Invalid configuration:\n  SENTRY_DSN: must be a DSN: https://<key>@<host>/<project-id> (the project settings show it)',
    );
  }
  return `${url.protocol}//${url.username}@${url.host}${url.pathname}`;
}

/** The version in package.json, beside dist/ as beside server/ (the image has it). */
function packageVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Estimated bits of a secret a production server accepts (see `secretWeakness`). */
const MIN_SECRET_BITS = 80;

/**
 * Why a production SESSION_SECRET is too weak, or undefined when it will do. It must not be a
 * placeholder (the example file's, or one like it), nor one short string repeated (`aaaa…`,
 * `abab…`), and must carry at least MIN_SECRET_BITS by a character-frequency estimate: its
 * length times the Shannon entropy of its characters. That refuses what a person types, not what
 * `openssl rand` prints: 32 random hex digits (128 bits) estimate 88 or more, `openssl rand
 * -base64 48` about 330. The 32-character minimum is checked by the schema.
 */
export function secretWeakness(secret: string): string | undefined {
  if (/replace-with|change-?me|placeholder|example/i.test(secret)) {
    return 'is a placeholder: replace it with a random value';
  }
  if (/^([\s\S]+?)\1+$/.test(secret)) return 'is one short string repeated';
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / chars.length) * Math.log2(n / chars.length);
  const bits = Math.floor(bitsPerChar * chars.length);
  if (bits < MIN_SECRET_BITS) {
    return `has too little entropy (about ${bits} bits, at least ${MIN_SECRET_BITS} needed)`;
  }
  return undefined;
}

/**
 * Outside production a missing SESSION_SECRET is generated once and kept in the data directory,
 * so sessions survive a restart without any setup.
 */
function localSecret(dataDir: string): string {
  if (dataDir === 'memory://') return randomBytes(32).toString('base64url');
  const file = path.join(dataDir, 'session-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
