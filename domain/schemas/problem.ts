import { z } from 'zod';

/** One invalid input field: a dotted path (`sports.0.level`) and a human message. */
export const FieldError = z.object({
  field: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem document, as every error response of the API. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(FieldError).optional(),
});
export type Problem = z.infer<typeof Problem>;

/** Turns a Zod error into the field list of a problem document (used by the API and the forms). */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/**
 * Every problem `type` the API answers with besides `about:blank`, in one place: the server
 * throws them, clients and tests tell errors apart by them, and docs/api.md lists them.
 */
export const PROBLEM_TYPES = {
  csrf: 'urn:rally:problem:csrf',
  databaseUnavailable: 'urn:rally:problem:database-unavailable',
  idempotencyKeyReused: 'urn:rally:problem:idempotency-key-reused',
  overloaded: 'urn:rally:problem:overloaded',
  rateLimited: 'urn:rally:problem:rate-limited',
  scheduleIncomplete: 'urn:rally:problem:schedule-incomplete',
  slotClash: 'urn:rally:problem:slot-clash',
  versionConflict: 'urn:rally:problem:version-conflict',
} as const;

/** The 410 of a team invitation no longer open: `urn:rally:problem:invite-<its status>`. */
export const inviteGoneType = (status: string) => `urn:rally:problem:invite-${status}`;

/** The 410 of an organizer invitation no longer pending: `…:organizer-invite-<its status>`. */
export const organizerInviteGoneType = (status: string) =>
  `urn:rally:problem:organizer-invite-${status}`;
