import { z } from 'zod';

// Control characters (C0 and C1, NUL included) have no place in names or short text fields.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A short single-line text: Unicode-normalised (NFC), trimmed, length-checked after trimming,
 * control characters (NUL included) refused.
 */
export function cleanText(min: number, max: number) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'Required' : `At least ${min} characters`)
        .max(max, `At most ${max} characters`)
        .refine((s) => !CONTROL.test(s), 'Must not contain control characters'),
    );
}

/** Like cleanText, but an empty or blank value becomes null. */
export function optionalCleanText(max: number) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .max(max, `At most ${max} characters`)
        .refine((s) => !CONTROL.test(s), 'Must not contain control characters'),
    )
    .transform((s) => (s === '' ? null : s))
    .nullish()
    .transform((s) => s ?? null);
}
