import fc from 'fast-check';

/**
 * Hostile values the fuzzer mixes into every part of a request: what an attacker or a broken
 * client sends, not what a form produces (issue #10, "Fuzzing from the OpenAPI document").
 */

/** Strings that have broken parsers, drivers, logs and renderers before. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDFFF',
  '\u202Egnp.exe',
  '\u200B\u200C\u200D\u2060',
  '\uFEFFbom',
  '\u0301\u0301\u0301',
  'e\u0301'.repeat(500),
  '𝕏🎾👨‍👩‍👧',
  'ﷺ',
  '\r\n\t\v\f',
  '\u001b[31mred',
  "' OR 1=1 --",
  "'; drop table users; --",
  '" OR ""="',
  "1' and pg_sleep(3)--",
  '$1',
  '%s%n%x',
  '%00',
  '%ZZ',
  '../../../etc/passwd',
  '..%2F..%2F',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '\\',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '0000-00-00',
  '2027-02-30',
  '9999-12-31T23:59:59.999Z',
  '24:00',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
];

/** Keys that pollute prototypes or smuggle SQL into dynamic column lists. */
export const ODD_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'user_id',
  'created_by',
  'role',
  'isAdmin',
  'version',
  "name'; drop table users; --",
  'name" = 1 --',
  '',
  '\u0000',
  '\uD800',
  'x'.repeat(1000),
];

const numbers = fc.constantFrom<number>(
  0,
  -1,
  1.5,
  -0,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  1e308,
  -1e308,
  5e-324,
);

/** A string of `length` characters, built at once rather than generated char by char. */
const longString = fc
  .tuple(
    fc.constantFrom(1_000, 10_000, 100_000, 300_000),
    fc.constantFrom('x', 'é', '\u0000', '💥'),
  )
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** `[[[…]]]` or `{"a":{"a":…}}`, deeper than any schema goes. */
const deep = fc.tuple(fc.constantFrom(64, 1_000, 3_000), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});

/** Arrays far beyond any bound a schema should allow (the 1 MiB body limit still applies). */
const huge = fc
  .tuple(
    fc.constantFrom(300, 5_000, 100_000, 250_000),
    fc.constantFrom<unknown>(1, 'x', 'mon', null, {}),
  )
  .map(([length, item]) => Array.from({ length }, () => item));

/** An object with a key the JSON parser or an ORM might treat specially. */
export function withKey(target: unknown, key: string, value: unknown): unknown {
  const base = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  // defineProperty, not assignment: `o.__proto__ = v` would set the prototype, not a key.
  Object.defineProperty(base, key, { value, enumerable: true, configurable: true, writable: true });
  return base;
}

/** Any hostile JSON value: wrong types, odd strings, huge or deep structures, polluting keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 6 },
  { arbitrary: numbers, weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(true, false, null, [], {}), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: longString, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: huge, weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...ODD_KEYS), fc.jsonValue({ maxDepth: 2 }))
      .map(([k, v]) => withKey({}, k, v)),
    weight: 2,
  },
);

/** A path or query parameter value: odd strings, plus ones only a hand-made URL can carry. */
export const hostileParam: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.uuid(), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '1',
      '-1',
      '0x10',
      '1.5',
      '99999999999999999999',
      'true',
      '[]',
      '{}',
    ),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(150, 199, 201, 1_000, 9_000).map((n) => 'a'.repeat(n)),
    weight: 1,
  },
);

/**
 * Raw bodies that are not the JSON document a schema describes: broken JSON, duplicate and
 * polluting keys written out literally, other content types, bytes that are not UTF-8.
 */
export const rawBodies: readonly { contentType: string | undefined; payload: string | Buffer }[] = [
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: '{' },
  { contentType: 'application/json', payload: '{"a":1,}' },
  { contentType: 'application/json', payload: 'null' },
  { contentType: 'application/json', payload: '"text"' },
  { contentType: 'application/json', payload: '[]' },
  { contentType: 'application/json', payload: '{"__proto__":{"isAdmin":true}}' },
  { contentType: 'application/json', payload: '{"constructor":{"prototype":{"isAdmin":true}}}' },
  { contentType: 'application/json', payload: '{"a":1,"a":2}' },
  { contentType: 'application/json', payload: '{"a":"\\ud800"}' },
  { contentType: 'application/json', payload: '{"a":"\\u0000"}' },
  { contentType: 'application/json', payload: '{"a":1e999}' },
  { contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  { contentType: 'application/json; charset=utf-16', payload: '{}' },
  { contentType: 'application/json', payload: '\uFEFF{}' },
  { contentType: 'text/plain', payload: '{}' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&__proto__[x]=1' },
  { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\n\r\n--x--' },
  { contentType: 'application/xml', payload: '<a/>' },
  { contentType: undefined, payload: '{}' },
  { contentType: 'application/json', payload: '['.repeat(100_000) },
  { contentType: 'application/json', payload: '{"a":' + '1'.repeat(500_000) + '}' },
];
