import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startTestApp, type TestApp } from '../test/app';

const DEPLOY = path.join(import.meta.dirname, '../../deploy');

/** Metrics that come from Prometheus itself (`up`) and the blackbox exporter, not the app. */
const EXTERNAL = new Set(['up', 'probe_success', 'probe_ssl_earliest_cert_expiry']);

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string };
}

const rules = (
  parseYaml(readFileSync(path.join(DEPLOY, 'prometheus/alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  }
).groups.flatMap((g) => g.rules);

const dashboard = JSON.parse(
  readFileSync(path.join(DEPLOY, 'grafana/rally-connect.json'), 'utf8'),
) as { panels: { title: string; targets: { expr: string }[] }[] };

/** The syntax errors of a PromQL expression (Prometheus's own grammar) and the metrics it reads. */
function promql(expr: string): { errors: string[]; metrics: string[] } {
  const errors: string[] = [];
  const metrics: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: "${expr.slice(node.from, node.to + 10)}"`);
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) metrics.push(expr.slice(name.from, name.to));
      }
    },
  });
  return { errors, metrics };
}

/** Every series name `/metrics` can show: a histogram's `_bucket`, `_count` and `_sum` too. */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name as string);
    if (type === 'histogram' || type === 'summary') {
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
    }
  }
  return names;
}

describe('alert rules and dashboard (deploy/prometheus, deploy/grafana)', () => {
  let t: TestApp;
  let metrics: Set<string>;
  beforeAll(async () => {
    t = await startTestApp('embedded');
    await t.app.inject({ method: 'GET', url: '/health' });
    metrics = exported((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
  });
  afterAll(() => t.close());

  it('has the alerts operators are promised, each with a severity, a wait and a summary', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual([
      'RallyBackupStale',
      'RallyCertificateExpiring',
      'RallyDatabasePoolSaturated',
      'RallyDatabasePoolTimeouts',
      'RallyErrorRateHigh',
      'RallyInstanceDown',
      'RallyNotReady',
      'RallySlowRequests',
    ]);
    for (const rule of rules) {
      expect(['page', 'ticket'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
    expect(rules.filter((r) => r.alert !== 'RallyDatabasePoolTimeouts' && !r.for)).toEqual([]);
  });

  it('writes every expression in valid PromQL, reading only metrics that exist', () => {
    const expressions = [
      ...rules.map((r) => ({ where: r.alert, expr: r.expr })),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: p.title, expr: t.expr }))),
    ];
    expect(expressions.length).toBeGreaterThan(15);
    const problems: string[] = [];
    for (const { where, expr } of expressions) {
      const { errors, metrics: read } = promql(expr);
      if (errors.length > 0) problems.push(`${where}: syntax error ${errors.join(', ')}`);
      if (read.length === 0) problems.push(`${where}: reads no metric`);
      for (const name of read) {
        if (!metrics.has(name) && !EXTERNAL.has(name)) problems.push(`${where}: no metric ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('catches a typo: a misspelt metric and a broken expression are both found', () => {
    expect(promql('rate(http_request_duration_second_count[5m])').metrics).toEqual([
      'http_request_duration_second_count',
    ]);
    expect(metrics.has('http_request_duration_second_count')).toBe(false);
    expect(promql('sum(rate(rally_db_pool_waiting[5m]) >').errors).not.toEqual([]);
  });

  it('holds backups to 26 hours, and catches a deployment that backs up but never succeeded', () => {
    const rule = rules.find((r) => r.alert === 'RallyBackupStale') as Rule;
    const { errors, metrics: read } = promql(rule.expr);
    expect(errors).toEqual([]);
    expect(new Set(read)).toEqual(
      new Set([
        'rally_backup_last_success_timestamp_seconds',
        'rally_backup_scheduled',
        'rally_backup_last_run_ok',
      ]),
    );
    expect(rule.expr).toMatch(/> 26 \* 3600/);
    // The metric is absent until a first success: only absent() sees that, and only where an
    // instance says it backs up, or a run was recorded (the production compose file's backup
    // service backs up for instances that do not): a deployment without backups is not alerted.
    expect(rule.expr).toMatch(
      /absent\(rally_backup_last_success_timestamp_seconds\{job="rally"\}\)/,
    );
    expect(rule.expr).toMatch(/and on\(\) \(\s*max\(rally_backup_scheduled\{job="rally"\}\) == 1/);
    expect(rule.expr).toMatch(/or count\(rally_backup_last_run_ok\{job="rally"\}\) > 0/);
    expect(
      dashboard.panels.some((p) =>
        p.targets.some((t) => t.expr.includes('rally_backup_last_success')),
      ),
    ).toBe(true);
  });

  it("has the p99 alert's bar as a histogram bucket, so the quantile is exact there", async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.2",/m);
  });
});
