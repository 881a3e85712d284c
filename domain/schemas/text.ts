import { z } from 'zod';

/** "Required" for a missing value, rather than Zod's type-level wording. */
export const requiredText = (iss: { input?: unknown }) =>
  iss.input === undefined || iss.input === null ? 'Required' : 'Must be text';

// Control characters (C0 and C1, NUL included) have no place in names or short text fields.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A short single-line text: Unicode-normalised (NFC), trimmed, length-checked after trimming,
 * control characters (NUL included) refused.
 */
export function cleanText(min: number, max: number) {
  return z
    .string({ error: requiredText })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'Required' : `At least ${min} characters`)
        .max(max, `At most ${max} characters`)
        .refine((s) => !CONTROL.test(s), 'Must not contain control characters'),
    );
}
