import { z } from 'zod';
import { RatingHistoryPoint, RatingView } from './ratings';
import { Id, LineKind, PersonRef } from './results';

/** A player's page and a team's statistics (issue #6). */

const RecordView = z.object({
  played: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  winPct: z.number().nullable(),
});

/** `GET /api/players/:id?sport=`: a player's page. */
export const PlayerPage = z.object({
  player: PersonRef,
  sport: z.string(),
  /** Sports the player has ratings in (to switch between). */
  sports: z.array(z.string()),
  ratings: z.array(RatingView),
  stats: z.object({
    overall: RecordView,
    singles: RecordView,
    doubles: RecordView,
    setsWon: z.number().int(),
    setsLost: z.number().int(),
    setsPct: z.number().nullable(),
    gamesWon: z.number().int(),
    gamesLost: z.number().int(),
    gamesPct: z.number().nullable(),
    streak: z.object({ result: z.enum(['won', 'lost']), length: z.number().int() }).nullable(),
    walkovers: z.object({ won: z.number().int(), lost: z.number().int() }),
    headToHead: z.array(
      z.object({
        opponent: PersonRef,
        played: z.number().int(),
        won: z.number().int(),
        lost: z.number().int(),
        lastPlayed: z.string(),
      }),
    ),
    partners: z.array(
      z.object({
        partner: PersonRef,
        played: z.number().int(),
        won: z.number().int(),
        lost: z.number().int(),
        winPct: z.number(),
      }),
    ),
  }),
  /** Oldest first. */
  history: z.array(RatingHistoryPoint),
});

export type PlayerPage = z.infer<typeof PlayerPage>;

/** `GET /api/teams/:id/stats`. */
export const TeamStats = z.object({
  teamId: Id,
  record: z.object({
    played: z.number().int(),
    won: z.number().int(),
    lost: z.number().int(),
    tied: z.number().int(),
  }),
  lines: z.array(
    z.object({
      kind: LineKind,
      line: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
    }),
  ),
  players: z.array(
    z.object({
      player: PersonRef,
      played: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      singlesRating: z.number().nullable(),
      doublesRating: z.number().nullable(),
    }),
  ),
  recent: z.array(
    z.object({
      matchId: Id,
      date: z.string(),
      opponent: PersonRef,
      home: z.boolean(),
      result: z.enum(['won', 'lost', 'tied']),
      linesFor: z.number().int(),
      linesAgainst: z.number().int(),
    }),
  ),
});

export type TeamStats = z.infer<typeof TeamStats>;
