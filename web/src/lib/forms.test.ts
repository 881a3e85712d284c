import { describe, expect, it } from 'vitest';
import { ProfileInput } from '#domain/schemas/me';
import { ApiError } from './api';
import {
  describeError,
  placeErrors,
  pluralize,
  problemFieldErrors,
  resolverFieldErrors,
  validate,
} from './forms';

describe('placeErrors', () => {
  const locate = (field: string) =>
    field === 'name' ? { targetId: 'f-name', label: 'Name' } : null;

  it('keeps the first error of each field and names it', () => {
    const placed = placeErrors(
      [
        { field: 'name', message: 'Too short' },
        { field: 'name', message: 'Not allowed' },
      ],
      locate,
    );
    expect(placed).toEqual([
      { field: 'name', message: 'Too short', targetId: 'f-name', label: 'Name' },
    ]);
  });

  it('keeps errors with no matching field for the summary, without a link', () => {
    const placed = placeErrors([{ field: '(body)', message: 'Invalid JSON' }], locate);
    expect(placed).toEqual([
      { field: '(body)', message: 'Invalid JSON', targetId: null, label: null },
    ]);
  });
});

describe('validate', () => {
  it('reports every invalid profile field with the dotted paths the API uses', () => {
    const result = validate(ProfileInput, {
      displayName: ' ',
      phone: '555',
      cityOrClub: '',
      sports: [],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      'displayName',
      'phone',
      'cityOrClub',
      'sports',
    ]);
  });

  it('returns the parsed value, with a blank phone turned into null', () => {
    const result = validate(ProfileInput, {
      displayName: 'Ana Ruiz',
      phone: '  ',
      cityOrClub: 'Valencia',
      sports: [{ sport: 'padel', level: 'advanced' }],
    });
    expect(result).toEqual({
      ok: true,
      data: {
        displayName: 'Ana Ruiz',
        phone: null,
        cityOrClub: 'Valencia',
        sports: [{ sport: 'padel', level: 'advanced' }],
      },
    });
  });
});

describe('problemFieldErrors', () => {
  const problem = {
    type: 'urn:rally:problem:validation',
    title: 'Bad Request',
    status: 400,
    detail: 'Invalid input',
  };

  it('returns the field errors of a 400 problem', () => {
    const errors = [{ field: 'displayName', message: 'At least 2 characters' }];
    expect(problemFieldErrors(new ApiError(400, { ...problem, errors }))).toEqual(errors);
  });

  it('returns the field errors of a 409 problem, e.g. a date that clashes', () => {
    const errors = [{ field: 'startTime', message: 'Aces already play Northside on 2026-12-03' }];
    const clash = { ...problem, type: 'urn:rally:problem:slot-clash', status: 409, errors };
    expect(problemFieldErrors(new ApiError(409, clash))).toEqual(errors);
  });

  it('ignores other failures', () => {
    expect(problemFieldErrors(new ApiError(400, problem))).toBeNull();
    expect(problemFieldErrors(new ApiError(409, { ...problem, status: 409 }))).toBeNull();
    expect(problemFieldErrors(new ApiError(412, { ...problem, status: 412 }))).toBeNull();
    expect(problemFieldErrors(new TypeError('Failed to fetch'))).toBeNull();
  });
});

describe('describeError', () => {
  it("shows a problem's detail, e.g. when rate limited", () => {
    const error = new ApiError(429, {
      type: 'urn:rally:problem:rate-limited',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Too many requests. Try again in 1 minute.',
    });
    expect(describeError(error)).toBe('Too many requests. Try again in 1 minute.');
  });

  it('tells a user whose session ended to sign in again', () => {
    const error = new ApiError(401, {
      type: 't',
      title: 'Unauthorized',
      status: 401,
      detail: 'Sign in first.',
    });
    expect(describeError(error)).toMatch(/signed out/);
  });

  it("gives the server's request id for a failure on its side, and only then", () => {
    const problem = { type: 't', title: 'Internal Server Error', status: 500, detail: 'Boom.' };
    expect(describeError(new ApiError(500, problem, 'req-42'))).toBe(
      'Boom. If it keeps happening, tell support this reference: req-42.',
    );
    expect(describeError(new ApiError(500, problem))).toBe('Boom.');
    expect(describeError(new ApiError(409, { ...problem, status: 409 }, 'req-43'))).toBe('Boom.');
  });

  it('explains a network failure', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toMatch(/connection/);
  });
});

describe('pluralize', () => {
  it('uses the singular for one', () => {
    expect(pluralize(1, 'problem')).toBe('1 problem');
    expect(pluralize(3, 'problem')).toBe('3 problems');
  });
});

describe('resolverFieldErrors', () => {
  it("flattens react-hook-form's nested errors to the API's dotted paths, in order", () => {
    const ref = { name: 'input' };
    expect(
      resolverFieldErrors({
        name: { type: 'too_small', message: 'Too short', ref },
        availability: [
          undefined,
          { to: { type: 'custom', message: 'After the start', ref } },
          { from: { type: 'invalid_format', message: 'A time', ref } },
        ],
        sports: { root: { type: 'too_small', message: 'Choose a sport', ref } },
        '': { type: 'custom', message: 'Invalid body', ref },
      }),
    ).toEqual([
      { field: 'name', message: 'Too short' },
      { field: 'availability.1.to', message: 'After the start' },
      { field: 'availability.2.from', message: 'A time' },
      { field: 'sports', message: 'Choose a sport' },
      { field: '(body)', message: 'Invalid body' },
    ]);
  });
});
