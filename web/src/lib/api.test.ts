import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  apiFetch,
  apiFetchPage,
  ApiError,
  newIdempotencyKey,
  nextLink,
  readCookie,
  toProblem,
} from './api';
import { safeReturnTo } from './returnTo';

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('a=1; rally_csrf=abc%3D%3D; b=2', 'rally_csrf')).toBe('abc==');
  });

  it('does not match a cookie whose name only ends with the name', () => {
    expect(readCookie('xrally_csrf=nope', 'rally_csrf')).toBeNull();
    expect(readCookie('', 'rally_csrf')).toBeNull();
  });
});

describe('newIdempotencyKey', () => {
  it('makes distinct v4 UUIDs', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});

describe('toProblem', () => {
  it('keeps a problem document, extra members included', () => {
    const body = {
      type: 't',
      title: 'Precondition Failed',
      status: 412,
      detail: 'Stale',
      current: { version: 3 },
    };
    expect(toProblem(412, 'Precondition Failed', body)).toEqual(body);
  });

  it('makes a problem out of a body that is not one', () => {
    const problem = toProblem(502, 'Bad Gateway', undefined);
    expect(problem.status).toBe(502);
    expect(problem.detail).toMatch(/try again/);
  });
});

describe('safeReturnTo', () => {
  it('keeps paths inside the app', () => {
    expect(safeReturnTo('/profile?tab=1')).toBe('/profile?tab=1');
  });

  it('refuses other sites, loops and API paths', () => {
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'profile',
      '/sign-in',
      '/api/me',
      null,
    ]) {
      expect(safeReturnTo(bad)).toBe('/');
    }
  });
});

describe('apiFetch', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("keeps the server's request id of a failed answer", async () => {
    const problem = {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Boom.',
    };
    vi.stubGlobal('fetch', async () =>
      Response.json(problem, { status: 500, headers: { 'x-request-id': 'req-7f3a' } }),
    );
    const error = await apiFetch('/api/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, requestId: 'req-7f3a', problem });
  });
});

describe('nextLink', () => {
  it("finds the next page's address as the API sends it", () => {
    expect(nextLink('</api/leagues?q=club&after=W3RydWUs>; rel="next"')).toBe(
      '/api/leagues?q=club&after=W3RydWUs',
    );
    expect(nextLink('</api/leagues?after=x>;rel=next')).toBe('/api/leagues?after=x');
  });

  it('picks rel="next" among other links, relation lists and quoted parameters', () => {
    expect(
      nextLink(
        '</a?page=1>; rel="prev"; title="a, b; c", </b?page=3>; title="x>y"; REL="last Next"',
      ),
    ).toBe('/b?page=3');
    expect(nextLink('<https://example.org/next>; rel="nextish"')).toBeNull();
  });

  it('answers null without a next link', () => {
    expect(nextLink(null)).toBeNull();
    expect(nextLink('')).toBeNull();
    expect(nextLink('</api/leagues?after=x>; rel="prev"')).toBeNull();
    expect(nextLink('not a link header')).toBeNull();
  });
});

describe('apiFetchPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('gives the body and the next address, or null on the last page', async () => {
    vi.stubGlobal('fetch', async (path: string) =>
      Response.json([{ path }], {
        headers: path.includes('after') ? {} : { link: '</api/leagues?after=abc>; rel="next"' },
      }),
    );
    expect(await apiFetchPage('/api/leagues')).toEqual({
      body: [{ path: '/api/leagues' }],
      next: '/api/leagues?after=abc',
    });
    expect(await apiFetchPage('/api/leagues?after=abc')).toEqual({
      body: [{ path: '/api/leagues?after=abc' }],
      next: null,
    });
  });
});
