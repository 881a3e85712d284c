import type { RatingHistoryPoint } from '#domain/schemas/ratings';
import { SPORT_LABELS, type Sport } from '#domain/schemas/me';
import { signed } from './labels';

/** A rating key's sport as people say it: "Tennis", or a custom sport's own name. */
export function sportLabel(key: string): string {
  if (key.startsWith('custom:')) {
    const name = key.slice('custom:'.length);
    return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Other sport';
  }
  return SPORT_LABELS[key as Sport] ?? key;
}

/** The chance the player was given, as a whole percentage (the API may send 0–1 or 0–100). */
export function expectedPercent(expected: number): number {
  return Math.round(expected <= 1 ? expected * 100 : expected);
}

/**
 * "Why my rating moved", in plain words: the chance the player was given, what winning or losing
 * did against it, what the margin did, and the career part. E.g. "You were expected to win 62%.
 * Winning added +8; winning 6-1 6-2, more than expected, added +3."
 */
export function whyMoved(
  point: RatingHistoryPoint,
  subject: { you: boolean; name: string },
): string {
  const { why } = point;
  const were = subject.you ? 'You were' : `${subject.name} was`;
  const chance = expectedPercent(why.expected);
  const verb = point.won ? 'Winning' : 'Losing';
  const moved = (points: number) =>
    Math.round(points) === 0
      ? 'changed nothing'
      : `${points > 0 ? 'added' : 'took'} ${signed(points)}`;
  const parts = [`${were} expected to win ${chance}%.`];
  let sentence = `${verb} ${moved(why.result)}`;
  if (Math.round(why.margin) !== 0) {
    // The margin part: the share of games against the share expected of the player.
    const how = point.won
      ? why.margin > 0
        ? 'more than expected'
        : 'closer than expected'
      : why.margin > 0
        ? 'closer than expected'
        : 'more heavily than expected';
    const score = why.score ? ` ${why.score}` : '';
    sentence += `; ${point.won ? 'winning' : 'losing'}${score}, ${how}, ${moved(why.margin)}`;
  }
  parts.push(`${sentence}.`);
  if (Math.round(why.career) !== 0) {
    parts.push(`Time since the previous match, at this stage of a career, ${moved(why.career)}.`);
  }
  parts.push(
    `In all ${signed(why.change)}: ${Math.round(point.before)} to ${Math.round(point.after)}.`,
  );
  return parts.join(' ');
}
