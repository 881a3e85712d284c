import type { MemberRole, MemberStatus } from '#domain/schemas/teams';

export const ROLE_NAMES: Record<MemberRole, string> = {
  captain: 'Captain',
  co_captain: 'Co-captain',
  player: 'Player',
};

export const STATUS_NAMES: Record<MemberStatus, string> = {
  active: 'Active',
  substitute: 'Substitute',
  injured: 'Injured',
};
