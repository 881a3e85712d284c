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
  RATE_LIMIT_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(10).max(1_000_000).default(600),
  ),
});

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
  oidc: { issuer: URL; clientId: string; clientSecret: string } | undefined;
  demoMode: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  /** Requests per minute per client address. */
  rateLimits: { global: number; auth: number };
  /** Where the built web app is; absent files mean an API-only server. */
  webDir: string;
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
  const demoMode = production ? false : (e.DEMO_MODE ?? (embedded && !e.OIDC_CLIENT_ID));

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
    rateLimits: { global: e.RATE_LIMIT_PER_MINUTE, auth: 30 },
    webDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
  };
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
