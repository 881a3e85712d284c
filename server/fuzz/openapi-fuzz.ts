import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../plugins/session';
import { providerRedirect } from '../test/app';
import { hostileParam, hostileValue, rawBodies, withKey, ODD_KEYS } from './inputs';

/**
 * A fuzzer driven by the app's own OpenAPI document (issue #10): every operation, signed in and
 * signed out, with bodies, parameters and paths no client should send. It checks what must hold
 * for any input at all, not what one answer should be.
 */

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | undefined;
}

/** How a fuzz request authenticates. */
export type Auth = 'session' | 'session-wrong-csrf' | 'anonymous-csrf' | 'anonymous';

/** One request the fuzzer sends. */
export interface FuzzCase {
  operation: string;
  method: string;
  url: string;
  auth: Auth;
  headers: Record<string, string>;
  payload: string | Buffer | undefined;
  /** Runs the whole sign-in flow with this `returnTo` instead of one request. */
  signInFlow?: boolean;
}

/** Known ids by parameter name (`leagueId`, `teamId` …), gathered from real answers. */
export type IdPool = Map<string, string[]>;

/** Limits every answer is held to. */
export interface Bounds {
  /** Longest a request may take: only a stall should reach it. */
  maxMs: number;
  /** Largest error body (problem document). */
  maxErrorBytes: number;
  /** Largest successful body. */
  maxBodyBytes: number;
}

export const DEFAULT_BOUNDS: Bounds = {
  maxMs: 2000,
  maxErrorBytes: 64 * 1024,
  maxBodyBytes: 1024 * 1024,
};

/** The operations of an OpenAPI 3 document. */
export function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const body = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> })
        ?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Parameter[] | undefined) ?? [],
        body,
      });
    }
  }
  return operations;
}

const isoDate = fc
  .date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2028-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

/** A value that (mostly) fits the schema, so a mutation of it gets past the outer checks. */
function fromSchema(schema: JsonSchema | undefined, ids: IdPool, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 1 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, ids, depth + 1)));
  if (Array.isArray(schema.type)) {
    return fc.oneof(...schema.type.map((type) => fromSchema({ ...schema, type }, ids, depth + 1)));
  }
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1000,
        max: schema.maximum ?? 1000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'array':
      return fc.array(fromSchema(schema.items, ids, depth + 1), {
        minLength: Math.min(schema.minItems ?? 0, 4),
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const record = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => [k, fromSchema(s, ids, depth + 1)]),
      );
      return fc.record(record, {
        requiredKeys: (schema.required ?? []).filter((k) => k in properties),
      });
    }
    case 'string':
      return stringFor(schema, ids);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function stringFor(schema: JsonSchema, ids: IdPool): fc.Arbitrary<string> {
  const known = [...ids.values()].flat();
  switch (schema.format) {
    case 'uuid':
      return known.length > 0 ? fc.oneof(fc.constantFrom(...known), fc.uuid()) : fc.uuid();
    case 'date':
      return isoDate;
    case 'date-time':
      return isoDate.map((d) => `${d}T18:30:00.000Z`);
    case 'email':
      return fc.emailAddress();
  }
  if (schema.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length <= (schema.maxLength ?? 200));
    } catch {
      // A pattern fast-check cannot generate from: fall through to plain text.
    }
  }
  return fc.string({
    minLength: Math.min(schema.minLength ?? 1, 20),
    maxLength: Math.min(schema.maxLength ?? 30, 30),
  });
}

/** A JSON path in a value: the keys and indexes of every nested position. */
function positionsOf(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
) {
  if (value && typeof value === 'object' && out.length < 64) {
    for (const [k, v] of Object.entries(value)) {
      const key = Array.isArray(value) ? Number(k) : k;
      out.push([...prefix, key]);
      positionsOf(v, [...prefix, key], out);
    }
  }
  return out;
}

function replaceAt(value: unknown, at: (string | number)[], next: unknown | typeof DROP): unknown {
  if (at.length === 0) return next === DROP ? undefined : next;
  const [head, ...rest] = at;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && next === DROP) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, next);
    return copy;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (rest.length === 0 && next === DROP)
    return Object.fromEntries(entries.filter(([k]) => k !== head));
  return Object.fromEntries(
    entries.map(([k, v]) => [k, k === head ? replaceAt(v, rest, next) : v]),
  );
}

const DROP = Symbol('drop');
const SAME = Symbol('same');

function valueAt(value: unknown, at: (string | number)[]): unknown {
  return at.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | null)?.[k], value);
}

/** Whether a schema has an array anywhere. */
function hasArray(schema: JsonSchema | undefined): boolean {
  return JSON.stringify(schema ?? {}).includes('"array"');
}

/**
 * The largest body the schema's bounds allow, every array filled to its limit (at most 1,000
 * where it sets none), with `leaf` in place of every scalar: the worst case for validation and
 * for the error list, within every item limit.
 */
function maximal(schema: JsonSchema | undefined, leaf: unknown, depth = 0): unknown {
  if (!schema || depth > 8) return leaf;
  const alternatives = (schema.anyOf ?? schema.oneOf)?.filter((a) => a.type !== 'null');
  if (alternatives?.[0]) return maximal(alternatives[0], leaf, depth + 1);
  if (schema.type === 'array') {
    const item = maximal(schema.items, leaf, depth + 1);
    return Array.from({ length: Math.min(schema.maxItems ?? 1000, 1000) }, () => item);
  }
  if (schema.type === 'object') {
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, s]) => [k, maximal(s, leaf, depth + 1)]),
    );
  }
  return leaf;
}

/** The top-level properties of a body schema that are arrays. */
function arrayProperties(schema: JsonSchema | undefined): string[] {
  return Object.entries(schema?.properties ?? {})
    .filter(([, s]) => s.type === 'array' || s.anyOf?.some((a) => a.type === 'array'))
    .map(([k]) => k);
}

/** A body for the operation: a fitting one, a mutation of it, or something else entirely. */
function bodyFor(
  op: Operation,
  ids: IdPool,
): fc.Arbitrary<{ contentType: string | undefined; payload: string | Buffer | undefined }> {
  const json = (value: unknown) => ({
    contentType: 'application/json',
    payload: value === undefined ? undefined : JSON.stringify(value),
  });
  const fitting = fromSchema(op.body ?? { type: 'object' }, ids);
  const mutated = fc
    .tuple(
      fitting,
      fc.nat(),
      fc.constantFrom('drop', 'replace', 'extra', 'grow', 'grow'),
      hostileValue,
      fc.constantFrom(...ODD_KEYS),
      fc.constantFrom(300, 5_000, 50_000, 120_000),
      fc.constantFrom<unknown>(SAME, SAME, 1, 'x', '0000-00-00', null),
    )
    .map(([value, pick, how, hostile, key, length, item]) => {
      const positions = positionsOf(value);
      const at = positions[pick % Math.max(positions.length, 1)] ?? [];
      if (how === 'grow') {
        // A huge array where the schema has one: copies of a fitting item, or of a wrong one.
        const arrays = [
          ...arrayProperties(op.body).map((k) => [k]),
          ...positions.filter((p) => Array.isArray(valueAt(value, p))),
        ];
        const where = arrays[pick % Math.max(arrays.length, 1)] ?? [];
        const current = valueAt(value, where);
        const first = Array.isArray(current) && current.length > 0 ? current[0] : 'x';
        const huge = Array.from({ length }, () => (item === SAME ? first : item));
        return replaceAt(value, where, huge);
      }
      if (how === 'extra') {
        const parent = at.slice(0, -1);
        const holder = valueAt(value, parent);
        return replaceAt(value, parent, withKey(holder, key, hostile));
      }
      return replaceAt(value, at, how === 'drop' ? DROP : hostile);
    });
  const fullest = fc.constantFrom<unknown>(0, 'x', null).map((leaf) => ({
    contentType: 'application/json',
    payload: JSON.stringify(maximal(op.body, leaf)),
  }));
  return fc.oneof(
    { arbitrary: fitting.map(json), weight: 3 },
    { arbitrary: mutated.map(json), weight: 8 },
    { arbitrary: fullest, weight: hasArray(op.body) ? 2 : 0 },
    { arbitrary: hostileValue.map(json), weight: 3 },
    { arbitrary: fc.constantFrom(...rawBodies), weight: 2 },
    { arbitrary: fc.constant({ contentType: undefined, payload: undefined }), weight: 1 },
  );
}

/** A path parameter: a known id (of anyone's), or an odd value. */
function pathParam(name: string, ids: IdPool): fc.Arbitrary<{ value: string; raw: boolean }> {
  const known = ids.get(name) ?? [];
  const any = [...ids.values()].flat();
  const options: fc.WeightedArbitrary<{ value: string; raw: boolean }>[] = [
    { arbitrary: hostileParam.map((value) => ({ value, raw: false })), weight: 3 },
    {
      arbitrary: fc
        .constantFrom(
          '..',
          '.',
          '%2e%2e',
          '%2F',
          'a%2Fb',
          '%00',
          '%ZZ',
          '%',
          '%C0%AF',
          '%E3%80%82',
          '?x=1',
          '#x',
          ';x',
          '%u0041',
        )
        .map((value) => ({ value, raw: true })),
      weight: 1,
    },
  ];
  if (known.length > 0)
    options.push({
      arbitrary: fc.constantFrom(...known).map((value) => ({ value, raw: false })),
      weight: 12,
    });
  if (any.length > 0)
    options.push({
      arbitrary: fc.constantFrom(...any).map((value) => ({ value, raw: false })),
      weight: 2,
    });
  return fc.oneof(...options);
}

/** Ways to spell one path that a router may read differently from a check on the raw URL. */
function respell(path: string, pick: number, how: string): string {
  const letters = [...path.matchAll(/[a-z]/g)].map((m) => m.index);
  const at = letters[pick % Math.max(letters.length, 1)] ?? 1;
  const hex = (c: string | undefined) =>
    '%' + (c ?? 'a').charCodeAt(0).toString(16).padStart(2, '0');
  switch (how) {
    case 'encode-letter':
      return path.slice(0, at) + hex(path[at]) + path.slice(at + 1);
    case 'encode-letter-upper':
      return path.slice(0, at) + hex(path[at]).toUpperCase() + path.slice(at + 1);
    case 'encode-first':
      return '/%61' + path.slice(2);
    case 'double-slash':
      return '/' + path;
    case 'inner-double-slash':
      return path.replace('/api/', '/api//');
    case 'trailing-slash':
      return path + '/';
    case 'dot-segment':
      return path.replace('/api/', '/api/./');
    case 'dotdot-segment':
      return path.replace('/api/', '/api/x/../');
    case 'encoded-slash':
      return path.replace('/api/', '/api%2F');
    case 'upper-case':
      return path.replace('/api/', '/API/');
    case 'semicolon':
      return path + ';jsessionid=x';
    case 'bad-escape':
      return path + '%ZZ';
    case 'nul':
      return path + '%00';
    case 'long':
      return path + '/' + 'a'.repeat(9_000);
    default:
      return path;
  }
}

const RESPELLINGS = [
  'encode-letter',
  'encode-letter-upper',
  'encode-first',
  'double-slash',
  'inner-double-slash',
  'trailing-slash',
  'dot-segment',
  'dotdot-segment',
  'encoded-slash',
  'upper-case',
  'semicolon',
  'bad-escape',
  'nul',
  'long',
];

/** A query string: the operation's parameters, fitting or odd, plus unknown and repeated ones. */
function queryFor(op: Operation, ids: IdPool): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const one = (p: Parameter) =>
    fc.oneof(
      { arbitrary: fc.constant<string[]>([]), weight: 3 },
      {
        arbitrary: fromSchema(p.schema, ids).map((v) => [`${enc(p.name)}=${enc(String(v))}`]),
        weight: 4,
      },
      { arbitrary: hostileParam.map((v) => [`${enc(p.name)}=${enc(v)}`]), weight: 3 },
      {
        arbitrary: fc
          .tuple(hostileParam, hostileParam)
          .map(([a, b]) => [`${enc(p.name)}=${enc(a)}`, `${enc(p.name)}=${enc(b)}`]),
        weight: 1,
      },
      {
        arbitrary: fc
          .constantFrom(
            '%ZZ',
            '%00',
            '%E3%80%82',
            '%C4%80',
            '%7F',
            '//evil.example',
            '/\\evil.example',
          )
          .map((v) => [`${enc(p.name)}=${v}`]),
        weight: 1,
      },
    );
  const extra = fc.oneof(
    { arbitrary: fc.constant<string[]>([]), weight: 6 },
    {
      arbitrary: fc
        .constantFrom(
          '__proto__[x]=1',
          'constructor[prototype][x]=1',
          'a[b][c]=1',
          '=',
          '&&&',
          'x=' + 'y'.repeat(5_000),
        )
        .map((v) => [v]),
      weight: 1,
    },
  );
  return fc.tuple(fc.tuple(...params.map(one)), extra).map(([parts, more]) => {
    const all = [...parts.flat(), ...more];
    return all.length > 0 ? '?' + all.join('&') : '';
  });
}

const enc = (s: string) => {
  // A lone surrogate has no UTF-8 form: send the replacement character a browser would.
  return encodeURIComponent(
    s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
};

/** Every fuzz case for one operation. */
function casesFor(op: Operation, ids: IdPool): fc.Arbitrary<FuzzCase> {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const headerParams = op.parameters.filter((p) => p.in === 'header').map((p) => p.name);
  const sendsBody = op.method !== 'GET' && op.method !== 'DELETE';
  return fc
    .record({
      values: fc.tuple(...pathParams.map((name) => pathParam(name, ids))),
      respelling: fc.oneof(
        { arbitrary: fc.constant('none'), weight: 6 },
        { arbitrary: fc.constantFrom(...RESPELLINGS), weight: 2 },
      ),
      pick: fc.nat(),
      query: queryFor(op, ids),
      body: sendsBody
        ? bodyFor(op, ids)
        : fc.oneof(
            { arbitrary: fc.constant({ contentType: undefined, payload: undefined }), weight: 4 },
            { arbitrary: bodyFor(op, ids), weight: 1 },
          ),
      auth: fc.constantFrom<Auth>(
        'session',
        'session',
        'session',
        'session-wrong-csrf',
        'anonymous-csrf',
        'anonymous-csrf',
        'anonymous',
      ),
      headerValues: fc.tuple(
        ...headerParams.map(() =>
          fc.option(
            fc.oneof(
              fc.constantFrom('"1"', '*', 'W/"1"', '"999999999999"', '', '"', 'x'.repeat(8_000)),
              fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, '?')),
            ),
            { nil: undefined },
          ),
        ),
      ),
      idempotencyKey: fc.option(
        fc.constantFrom(
          'k',
          'x'.repeat(5_000),
          "'; drop table idempotency_keys; --",
          '00000000-0000-0000-0000-000000000000',
        ),
        { freq: 8, nil: undefined },
      ),
      otherMethod: fc.option(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        { freq: 12, nil: undefined },
      ),
      signInFlow: fc.boolean(),
    })
    .map((c) => {
      let path = op.path;
      pathParams.forEach((name, i) => {
        const { value, raw } = c.values[i] ?? { value: '', raw: false };
        path = path.replace(`{${name}}`, raw ? value : enc(value));
      });
      const headers: Record<string, string> = {};
      headerParams.forEach((name, i) => {
        const v = c.headerValues[i];
        if (v !== undefined) headers[name] = v;
      });
      if (c.idempotencyKey !== undefined) headers['idempotency-key'] = c.idempotencyKey;
      if (c.body.contentType) headers['content-type'] = c.body.contentType;
      const url = respell(path, c.pick, c.respelling) + c.query;
      if (op.path === '/api/auth/login' && c.signInFlow) {
        // The whole flow, signed out, as a browser follows it.
        return {
          operation: 'GET /api/auth/callback',
          method: 'GET',
          url,
          auth: 'anonymous' as const,
          headers: {},
          payload: undefined,
          signInFlow: true,
        };
      }
      return {
        operation: `${op.method} ${op.path}`,
        method: c.otherMethod ?? op.method,
        url,
        auth: c.auth,
        headers,
        payload: c.body.payload,
      };
    });
}

/** Fuzz cases over all operations, each operation as likely as any other. */
export function fuzzCases(operations: Operation[], ids: IdPool): fc.Arbitrary<FuzzCase> {
  return fc.oneof(...operations.map((op) => casesFor(op, ids)));
}

/** What an answer broke, if anything: one line per broken rule. */
function violations(
  fuzzCase: FuzzCase,
  response: LightMyRequestResponse,
  elapsedMs: number,
  bounds: Bounds,
): string[] {
  const broken: string[] = [];
  const status = response.statusCode;
  const bytes = response.rawPayload.length;
  if (status >= 500) broken.push(`answered ${status}`);
  if (elapsedMs > bounds.maxMs) broken.push(`took over ${bounds.maxMs} ms`);
  const headers = response.headers;
  if (!headers['content-security-policy']) broken.push('no content-security-policy header');
  if (headers['x-content-type-options'] !== 'nosniff')
    broken.push('no x-content-type-options: nosniff');
  if (!headers['x-request-id']) broken.push('no x-request-id header');
  if (status >= 400) {
    if (bytes > bounds.maxErrorBytes) broken.push(`error body over ${bounds.maxErrorBytes} bytes`);
    const type = String(headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json'))
      broken.push(`${status} as ${type || 'no content-type'}`);
    else if (fuzzCase.method !== 'HEAD') {
      let problem: Record<string, unknown> | undefined;
      try {
        problem = JSON.parse(response.body) as Record<string, unknown>;
      } catch {
        broken.push('problem body is not JSON');
      }
      if (problem) {
        for (const field of ['type', 'title', 'detail'] as const) {
          if (typeof problem[field] !== 'string') broken.push(`problem without ${field}`);
        }
        if (problem.status !== status) broken.push('problem status differs from the answer');
      }
    }
  } else if (bytes > bounds.maxBodyBytes) {
    broken.push(`body over ${bounds.maxBodyBytes} bytes`);
  }
  const unsafe = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(fuzzCase.method);
  const csrfMissing = fuzzCase.auth === 'anonymous' || fuzzCase.auth === 'session-wrong-csrf';
  if (unsafe && csrfMissing && status < 400) {
    broken.push(`a ${fuzzCase.method} without a valid CSRF token answered ${status}`);
  }
  return broken;
}

/** The fuzzing user's session, kept fresh: the fuzzer may sign it out or replace it. */
export class FuzzSession {
  private cookies = '';
  private csrf = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly demoUser: string,
  ) {}

  /** Signs in (again) as the demo user. */
  async signIn(): Promise<void> {
    const first = await this.app.inject({ method: 'GET', url: '/api/auth/config' });
    const anonymousCsrf = cookieOf(first, CSRF_COOKIE);
    if (!anonymousCsrf) throw new Error('no CSRF cookie handed out');
    const signIn = await this.app.inject({
      method: 'POST',
      url: '/api/auth/demo',
      headers: { cookie: `${CSRF_COOKIE}=${anonymousCsrf}`, [CSRF_HEADER]: anonymousCsrf },
      payload: { user: this.demoUser },
    });
    const session = cookieOf(signIn, SESSION_COOKIE);
    const csrf = cookieOf(signIn, CSRF_COOKIE);
    if (signIn.statusCode !== 204 || !session || !csrf) {
      throw new Error(`demo sign-in answered ${signIn.statusCode}: ${signIn.body}`);
    }
    this.cookies = `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrf}`;
    this.csrf = csrf;
  }

  /** Headers for a case's kind of authentication. */
  headersFor(auth: Auth): Record<string, string> {
    const anonymous = 'anonymous-csrf-token-0123456789abcdef';
    switch (auth) {
      case 'session':
        return { cookie: this.cookies, [CSRF_HEADER]: this.csrf };
      case 'session-wrong-csrf':
        return { cookie: this.cookies, [CSRF_HEADER]: anonymous };
      case 'anonymous-csrf':
        return { cookie: `${CSRF_COOKIE}=${anonymous}`, [CSRF_HEADER]: anonymous };
      case 'anonymous':
        return {};
    }
  }
}

function cookieOf(response: LightMyRequestResponse, name: string): string | undefined {
  const found = (response.cookies as { name: string; value: string }[]).find(
    (c) => c.name === name,
  );
  return found?.value || undefined;
}

/** Counts and broken rules of a fuzz run. */
export interface FuzzReport {
  cases: number;
  /** The operations that got at least one case. */
  covered: Set<string>;
  /** The slowest answer: how long it took, and to what. */
  slowest: { ms: number; fuzzCase: FuzzCase | undefined };
  /** Answers per status code, and per kind of authentication. */
  statuses: Map<number, number>;
  byAuth: Map<Auth, Map<number, number>>;
  /** One example per kind of failure, with the operations it showed on. */
  failures: Map<
    string,
    { fuzzCase: FuzzCase; status: number; detail: string; count: number; operations: Set<string> }
  >;
}

/**
 * The same few cases for every operation, before the random ones: the worst bodies the schema's
 * bounds allow, signed in and signed out, a state change through a percent-encoded path without a
 * CSRF token, an invalid escape in the path and a path parameter over the router's limit. Each of
 * them once broke a rule (issue #10: findings 1, 2 and 8).
 */
export function sweepCases(operations: Operation[], ids: IdPool): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const op of operations) {
    const operation = `${op.method} ${op.path}`;
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => ids.get(name)?.[0] ?? '0');
    const json = { 'content-type': 'application/json' };
    const base = { operation, method: op.method, headers: {}, payload: undefined };
    if (op.body && hasArray(op.body)) {
      const payload = JSON.stringify(maximal(op.body, 0));
      for (const auth of ['session', 'anonymous-csrf'] as const) {
        cases.push({ ...base, url: path, auth, headers: json, payload });
      }
    }
    const fitting = op.body ? '{}' : undefined;
    cases.push({
      ...base,
      url: respell(path, 0, 'encode-first'),
      auth: 'anonymous',
      ...(fitting ? { headers: json, payload: fitting } : {}),
    });
    cases.push({ ...base, url: path + '%ZZ', auth: 'session' });
    cases.push({ ...base, url: path.replace(/\/[^/]*$/, '/' + 'a'.repeat(201)), auth: 'session' });
  }
  return cases;
}

/**
 * Sends the sweep, then `cases` requests generated from the seed, and checks every answer. Never stops at the
 * first failure: it collects one example per operation and broken rule.
 */
export async function runFuzz(options: {
  app: FastifyInstance;
  operations: Operation[];
  ids: IdPool;
  session: FuzzSession;
  cases: number;
  seed: number;
  bounds?: Bounds;
}): Promise<FuzzReport> {
  const { app, session } = options;
  const bounds = options.bounds ?? DEFAULT_BOUNDS;
  const report: FuzzReport = {
    cases: 0,
    covered: new Set(),
    slowest: { ms: 0, fuzzCase: undefined },
    statuses: new Map(),
    byAuth: new Map(),
    failures: new Map(),
  };
  async function check(fuzzCase: FuzzCase): Promise<void> {
    const started = performance.now();
    const response = fuzzCase.signInFlow
      ? await signInFlow(app, fuzzCase)
      : await app.inject({
          method: fuzzCase.method as 'GET',
          url: fuzzCase.url,
          headers: { ...session.headersFor(fuzzCase.auth), ...fuzzCase.headers },
          ...(fuzzCase.payload !== undefined ? { payload: fuzzCase.payload } : {}),
        });
    const elapsed = performance.now() - started;
    report.cases++;
    report.covered.add(fuzzCase.operation);
    if (elapsed > report.slowest.ms) report.slowest = { ms: elapsed, fuzzCase };
    const status = response.statusCode;
    report.statuses.set(status, (report.statuses.get(status) ?? 0) + 1);
    const perAuth = report.byAuth.get(fuzzCase.auth) ?? new Map<number, number>();
    perAuth.set(status, (perAuth.get(status) ?? 0) + 1);
    report.byAuth.set(fuzzCase.auth, perAuth);
    const broken = violations(fuzzCase, response, elapsed, bounds);
    if (broken.length > 0) {
      // One entry per kind of failure (the broken rules and the framework's error code, if
      // any), not per operation: one cause usually shows on every route.
      const key = `${broken.join('; ')}${errorCodeOf(response.body)}`;
      const seen = report.failures.get(key);
      if (seen) {
        seen.count++;
        seen.operations.add(fuzzCase.operation);
      } else {
        report.failures.set(key, {
          fuzzCase,
          status,
          detail: `(${Math.round(elapsed)} ms, ${response.rawPayload.length} bytes) ${response.body.slice(0, 200)}`,
          count: 1,
          operations: new Set([fuzzCase.operation]),
        });
      }
    }
    // A sign-in, sign-out or account switch replaced the fuzzing user's session: take it back.
    if (fuzzCase.auth.startsWith('session') && cookieOf(response, SESSION_COOKIE) !== undefined) {
      await session.signIn();
    }
    const cleared = (response.cookies as { name: string; value: string }[]).some(
      (c) => c.name === SESSION_COOKIE && !c.value,
    );
    if (fuzzCase.auth.startsWith('session') && cleared) await session.signIn();
  }

  for (const fuzzCase of sweepCases(options.operations, options.ids)) await check(fuzzCase);
  const property = fc.asyncProperty(
    fuzzCases(options.operations, options.ids),
    async (fuzzCase) => {
      await check(fuzzCase);
      return true;
    },
  );
  await fc.assert(property, { seed: options.seed, numRuns: options.cases, endOnFailure: true });
  return report;
}

/** ` (FST_ERR_…)` when a body carries a framework error code, to tell causes apart. */
function errorCodeOf(body: string): string {
  const code = /"code":"(FST_\w+)"/.exec(body.slice(0, 500));
  return code ? ` (${code[1]})` : '';
}

/** Login with a hostile `returnTo`, through the provider, back to the callback. */
async function signInFlow(
  app: FastifyInstance,
  fuzzCase: FuzzCase,
): Promise<LightMyRequestResponse> {
  const login = await app.inject({ method: 'GET', url: fuzzCase.url });
  const location = login.headers.location;
  if (login.statusCode !== 302 || typeof location !== 'string' || !location.startsWith('http')) {
    return login;
  }
  const flow = cookieOf(login, 'rally_oidc');
  const callback = await providerRedirect(location);
  return app.inject({
    method: 'GET',
    url: callback.pathname + callback.search,
    headers: flow ? { cookie: `rally_oidc=${flow}` } : {},
  });
}

/** A report as a few lines of text: counts per status and per kind of authentication. */
export function describeReport(label: string, report: FuzzReport): string {
  const counts = (m: Map<number, number>) =>
    [...m]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
  const lines = [`${label}: ${report.cases} cases — ${counts(report.statuses)}`];
  for (const [auth, m] of report.byAuth) lines.push(`  ${auth}: ${counts(m)}`);
  const slowest = report.slowest.fuzzCase;
  if (slowest) {
    lines.push(
      `  slowest: ${Math.round(report.slowest.ms)} ms, ${slowest.method} ${slowest.url.slice(0, 100)}`,
    );
  }
  lines.push(`  ${report.failures.size} broken rule(s)`);
  return lines.join('\n');
}

/** The broken rules of a report, one example each, for an assertion message. */
export function describeFailures(report: FuzzReport): string[] {
  return [...report.failures].map(([key, f]) => {
    const { auth, method, url, payload } = f.fuzzCase;
    const body = JSON.stringify(String(payload ?? '').slice(0, 100));
    return (
      `${key}: ${f.count} case(s) on ${f.operations.size} operation(s), e.g. ${f.fuzzCase.operation} as ` +
      `${auth}: ${method} ${url.slice(0, 160)} body ${body} → ${f.status} ${f.detail}`
    );
  });
}
