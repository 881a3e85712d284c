import type { AvailabilityAnswer } from '#domain/schemas/availability';

export const ANSWER_LABELS: Record<AvailabilityAnswer, string> = {
  available: 'Available',
  maybe: 'Maybe',
  unavailable: 'Unavailable',
};

export const MEMBER_STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  substitute: 'Substitute',
  injured: 'Injured',
};
