import type { AvailabilityAnswer } from '#domain/schemas/availability';
import type { Proposal } from '#domain/schemas/proposals';

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

export const PROPOSAL_STATUS_LABELS: Record<Proposal['status'], string> = {
  open: 'Open',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};
