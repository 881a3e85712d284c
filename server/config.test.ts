import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

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

  it('names each bad variable in the error', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://db/x', LOG_LEVEL: 'loud' }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*LOG_LEVEL/);
  });

  it('requires PUBLIC_URL and an identity provider in production', () => {
    const base = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) };
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

  it('refuses demo mode in production, and never turns it on by default there', () => {
    const secret = 'x'.repeat(40);
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: secret,
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

  it('uses Google as the default identity provider', () => {
    const config = loadConfig({
      RALLY_DATA_DIR: 'memory://',
      OIDC_CLIENT_ID: 'a',
      OIDC_CLIENT_SECRET: 'b',
    });
    expect(config.oidc?.issuer.href).toBe('https://accounts.google.com/');
  });
});
