import type { LineKind } from '#domain/schemas/results';

/**
 * Below this reliability a rating is "provisional". Reliability is how much of a new player's
 * starting uncertainty the matches have removed (0: none, 1: all), so under one half the rating
 * still says more about the level the player gave at sign-up than about their matches: it moves
 * quickly and should not be compared closely with established ones. A handful of matches against
 * rated opponents usually clears it.
 */
export const PROVISIONAL_BELOW = 0.5;
/** From here on a rating is "established": its uncertainty is a fifth of where it started. */
export const ESTABLISHED_FROM = 0.8;

export type Reliability = 'provisional' | 'settling' | 'established';

export function reliabilityOf(reliability: number): Reliability {
  if (reliability < PROVISIONAL_BELOW) return 'provisional';
  if (reliability < ESTABLISHED_FROM) return 'settling';
  return 'established';
}

export const RELIABILITY_LABELS: Record<Reliability, string> = {
  provisional: 'Provisional',
  settling: 'Settling',
  established: 'Established',
};

export const RELIABILITY_HELP =
  'Provisional: fewer matches than it takes to trust the rating (reliability under 50%), so it ' +
  'still moves a lot. Settling: 50–80%. Established: 80% and over.';

export const KIND_LABELS: Record<LineKind, string> = { singles: 'Singles', doubles: 'Doubles' };

/** Ratings are shown whole: 1512, not 1511.84. */
export function ratingText(rating: number): string {
  return String(Math.round(rating));
}

/** A signed whole number of rating points: "+8", "−3", "0". */
export function signed(points: number): string {
  const rounded = Math.round(points);
  if (rounded === 0) return '0';
  return rounded > 0 ? `+${rounded}` : `\u2212${Math.abs(rounded)}`;
}

/** A share as a whole percentage, or a dash when there is nothing to share. */
export function percent(share: number | null): string {
  if (share === null) return '—';
  const value = share <= 1 ? share * 100 : share;
  return `${Math.round(value)}%`;
}

export { formatDay } from '../../lib/dates';
