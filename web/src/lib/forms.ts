import type { z } from 'zod';
import { fieldErrors, type FieldError } from '#domain/schemas/problem';
import { ApiError } from './api';

/** One error to show in a form: where it belongs (an element id, if any) and what to say. */
export interface FormError {
  /** The dotted field path, as in the problem document (`sports.0.level`). */
  field: string;
  message: string;
  /** The id of the element the error summary links to; `null` when no field matches. */
  targetId: string | null;
  /** How the field is named in the error summary. */
  label: string | null;
}

/** Where a form shows the error of a field path. */
export interface FieldTarget {
  targetId: string;
  label: string;
  message?: string;
}

/**
 * Places field errors (from a Zod `safeParse` or a 400 problem) on a form: `locate` names the
 * element and label for a path (and may word its message after the original one), or returns null for errors that only belong in the summary. Only
 * the first error of each field is kept, so each field shows one message.
 */
export function placeErrors(
  errors: readonly FieldError[],
  locate: (field: string, message: string) => FieldTarget | null,
): FormError[] {
  const seen = new Set<string>();
  const placed: FormError[] = [];
  for (const error of errors) {
    const target = locate(error.field, error.message);
    const key = target?.targetId ?? `field:${error.field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    placed.push({
      field: error.field,
      message: target?.message ?? error.message,
      targetId: target?.targetId ?? null,
      label: target?.label ?? null,
    });
  }
  return placed;
}

/** The error shown at one element, if any. */
export function errorFor(errors: readonly FormError[], targetId: string): string | undefined {
  return errors.find((e) => e.targetId === targetId)?.message;
}

/** Validates input with a shared schema and returns the field errors the API would report. */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: fieldErrors(result.error) };
}

/**
 * The field errors of a 400 problem (invalid input) or a 409 one (e.g. a match slot that clashes
 * with another match), or null when the problem names no field.
 */
export function problemFieldErrors(error: unknown): FieldError[] | null {
  if (
    error instanceof ApiError &&
    (error.status === 400 || error.status === 409) &&
    error.problem.errors?.length
  ) {
    return error.problem.errors;
  }
  return null;
}

/** One error of a react-hook-form resolver: a message, or more of them nested by field path. */
interface ResolverErrors {
  [key: string]: unknown;
}

/**
 * The errors react-hook-form's Zod resolver found, as the flat list a problem document carries:
 * dotted paths (`availability.0.to`), in the order the schema reported them, an array's own error
 * (kept as `root`) under the array's path, and a whole-input error as `(body)`, as the API says.
 */
export function resolverFieldErrors(errors: ResolverErrors, prefix = ''): FieldError[] {
  const list: FieldError[] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (key === 'ref' || key === 'types' || typeof value !== 'object' || value === null) continue;
    const field = key === 'root' ? prefix : prefix ? `${prefix}.${key}` : key;
    const { message, type } = value as { message?: unknown; type?: unknown };
    if (typeof message === 'string' && typeof type === 'string')
      list.push({ field: field || '(body)', message });
    else list.push(...resolverFieldErrors(value as ResolverErrors, field));
  }
  return list;
}

/** A sentence for any failure of an API call, suitable for a banner. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return 'You are signed out, perhaps because your session expired. Reload the page to sign in again.';
    }
    const message = error.problem.detail || error.problem.title;
    // A failure on the server's side: the id finds its log lines when the user reports it.
    return error.status >= 500 && error.requestId
      ? `${message} If it keeps happening, tell support this reference: ${error.requestId}.`
      : message;
  }
  if (error instanceof TypeError) {
    return "Can't reach Rally Connect. Check your connection and try again.";
  }
  return 'Something went wrong. Please try again.';
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
