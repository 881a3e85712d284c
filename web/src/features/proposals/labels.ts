import type { Proposal } from '#domain/schemas/proposals';

export const PROPOSAL_STATUS_LABELS: Record<Proposal['status'], string> = {
  open: 'Open',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};
