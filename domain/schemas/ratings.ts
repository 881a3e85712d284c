import { z } from 'zod';
import { SPORTS } from './me';
import { Id, LineKind, PersonRef } from './results';
import { cleanText } from './text';

/** Ratings and leaderboards (issue #6). */

/** A rating as shown: Elo-like points (1500 average) and how much to trust it. */
export const RatingView = z.object({
  kind: LineKind,
  rating: z.number(),
  deviation: z.number(),
  /** 0 (new) to 1 (well established). */
  reliability: z.number(),
  matches: z.number().int(),
  lastPlayed: z.string().nullable(),
});

export type RatingView = z.infer<typeof RatingView>;

/** `GET /api/leaderboards?sport=&kind=&leagueId=&divisionId=&minMatches=&q=`. */
export const LeaderboardQuery = z.object({
  sport: z.string().min(1).max(60).optional(),
  kind: LineKind.default('singles'),
  leagueId: Id.optional(),
  divisionId: Id.optional(),
  minMatches: z.coerce.number().int().min(0).max(1000).default(0),
  q: cleanText(0, 60).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type LeaderboardQuery = z.input<typeof LeaderboardQuery>;

export const Leaderboard = z.object({
  sport: z.string(),
  kind: LineKind,
  rows: z.array(
    z.object({
      rank: z.number().int(),
      player: PersonRef,
      rating: z.number(),
      reliability: z.number(),
      matches: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      lastPlayed: z.string().nullable(),
    }),
  ),
});

export type Leaderboard = z.infer<typeof Leaderboard>;

/** One point of a player's rating history, tied to the match line that moved it. */
export const RatingHistoryPoint = z.object({
  matchId: Id,
  date: z.string(),
  kind: LineKind,
  line: z.number().int(),
  before: z.number(),
  after: z.number(),
  deviationAfter: z.number(),
  won: z.boolean(),
  opponents: z.array(PersonRef),
  partner: PersonRef.nullable(),
  /** "Why my rating moved", in display points. */
  why: z.object({
    expected: z.number(),
    result: z.number(),
    margin: z.number(),
    career: z.number(),
    change: z.number(),
    score: z.string(),
    inactivityDeviation: z.number(),
    stepSize: z.number(),
  }),
});

export type RatingHistoryPoint = z.infer<typeof RatingHistoryPoint>;

/**
 * The key ratings are kept under for a league's sport: one rating per sport (and kind of line)
 * across every league a player plays in; each custom sport by its name.
 */
export function ratingSportKey(sport: string, customSport: string | null): string {
  return sport === 'custom' ? `custom:${(customSport ?? '').trim().toLowerCase()}` : sport;
}

/**
 * A rating's sport as `ratingSportKey` makes it: a known sport, or `custom:<name>` (its name
 * trimmed and in lower case, as the key is kept, so `custom:Beach Tennis` finds it too). Anything
 * else is a typing mistake, answered with 400 rather than an empty board.
 */
export const SportKey = z
  .string()
  .max(60)
  .transform((s) => (s.startsWith('custom:') ? ratingSportKey('custom', s.slice(7)) : s))
  .refine(
    (s) => (SPORTS as readonly string[]).includes(s) || /^custom:\S/.test(s),
    `Not a sport: use ${SPORTS.join(', ')} or custom:<name>`,
  );
