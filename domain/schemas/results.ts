import { z } from 'zod';
import { LINE_OUTCOMES } from '../rules/scoring';
import { cleanText } from './text';

/**
 * Results of team matches (issue #6): lines entered, confirmed, disputed, settled. Scores are
 * entered per line, home side first; `domain/rules/scoring.ts` checks them against the league's
 * match format.
 */

export const Id = z.string().uuid();

const Games = z
  .number({ error: 'Give the games as a number' })
  .int('Whole games only')
  .min(0)
  .max(99);

export const LineKind = z.enum(['singles', 'doubles']);

export type LineKind = z.infer<typeof LineKind>;

export const LineOutcome = z.enum(LINE_OUTCOMES);

export type LineOutcome = z.infer<typeof LineOutcome>;

export const TeamSide = z.enum(['home', 'away']);

export type TeamSide = z.infer<typeof TeamSide>;

/** One set, home games first; `tiebreak` is the tiebreak loser's points (7-6(5)). */
export const SetScoreInput = z.object({
  home: Games,
  away: Games,
  tiebreak: z.number().int().min(0).max(99).nullish(),
});

export type SetScoreInput = z.infer<typeof SetScoreInput>;

/** One line's result as a captain enters it: who played and the score. */
export const LineEntry = z.object({
  kind: LineKind,
  line: z.number().int().min(1).max(9),
  /** A side that did not turn up (walkover, default) may be left empty. */
  homePlayers: z.array(Id).max(2),
  awayPlayers: z.array(Id).max(2),
  outcome: LineOutcome.default('completed'),
  sets: z.array(SetScoreInput).max(5).default([]),
  /** Required for a retirement, walkover or default: the side that wins the line. */
  winner: TeamSide.nullish(),
});

export type LineEntry = z.input<typeof LineEntry>;

/** `PUT /api/matches/:id/result`: a captain enters the whole team match, every line. */
export const ResultEntryInput = z.object({ lines: z.array(LineEntry).min(1).max(18) });

export type ResultEntryInput = z.input<typeof ResultEntryInput>;

/** `POST /api/matches/:id/result/dispute`: the other side's counter-proposal and why. */
export const ResultDisputeInput = z.object({
  comment: cleanText(3, 1000),
  lines: z.array(LineEntry).min(1).max(18),
});

export type ResultDisputeInput = z.input<typeof ResultDisputeInput>;

/** `POST /api/matches/:id/result/settle`: an organizer decides a disputed (or missing) result. */
export const ResultSettleInput = z.object({
  comment: cleanText(3, 1000),
  lines: z.array(LineEntry).min(1).max(18),
});

export type ResultSettleInput = z.input<typeof ResultSettleInput>;

/** `POST /api/matches/:id/result/correct`: an organizer corrects a final result. */
export const ResultCorrectInput = z.object({
  reason: cleanText(3, 1000),
  lines: z.array(LineEntry).min(1).max(18),
});

export type ResultCorrectInput = z.input<typeof ResultCorrectInput>;

export const ResultStatus = z.enum(['none', 'pending', 'disputed', 'final']);

export type ResultStatus = z.infer<typeof ResultStatus>;

export const PersonRef = z.object({ id: Id, name: z.string() });

/** One line of a result as shown: players by name and the score's text, home side first. */
export const LineView = z.object({
  kind: LineKind,
  line: z.number().int(),
  homePlayers: z.array(PersonRef),
  awayPlayers: z.array(PersonRef),
  outcome: LineOutcome,
  sets: z.array(
    z.object({
      home: z.number().int(),
      away: z.number().int(),
      tiebreak: z.number().int().nullable(),
    }),
  ),
  winner: TeamSide,
  /** E.g. `6-4 3-6 [10-7]`, `6-3 2-1 ret.`, `w/o`. */
  text: z.string(),
});

export type LineView = z.infer<typeof LineView>;

export const TeamMatchTotals = z.object({
  winner: z.enum(['home', 'away', 'tie']),
  linesHome: z.number().int(),
  linesAway: z.number().int(),
  setsHome: z.number().int(),
  setsAway: z.number().int(),
  gamesHome: z.number().int(),
  gamesAway: z.number().int(),
});

export type TeamMatchTotals = z.infer<typeof TeamMatchTotals>;

export const ResultEventKind = z.enum([
  'entered',
  'reentered',
  'confirmed',
  'disputed',
  'auto_confirmed',
  'settled',
  'corrected',
]);

export type ResultEventKind = z.infer<typeof ResultEventKind>;

/** The audit trail: every step, who and when, with the lines that step proposed or fixed. */
export const ResultEvent = z.object({
  at: z.string(),
  kind: ResultEventKind,
  /** Null for the system (automatic confirmation). */
  actor: z.string().nullable(),
  teamId: Id.nullable(),
  comment: z.string().nullable(),
  lines: z.array(LineView).nullable(),
  totals: TeamMatchTotals.nullable(),
});

export type ResultEvent = z.infer<typeof ResultEvent>;

/** `GET /api/matches/:id/result`. */
export const MatchResult = z.object({
  matchId: Id,
  status: ResultStatus,
  homeTeam: PersonRef,
  awayTeam: PersonRef,
  /** The entered (or final) lines and totals; empty while nothing is entered. */
  lines: z.array(LineView),
  totals: TeamMatchTotals.nullable(),
  enteredBy: z.object({ teamId: Id, name: z.string().nullable(), at: z.string() }).nullable(),
  /** When a pending result becomes final on its own. */
  confirmBy: z.string().nullable(),
  dispute: z
    .object({
      teamId: Id,
      comment: z.string(),
      lines: z.array(LineView),
      totals: TeamMatchTotals,
      at: z.string(),
    })
    .nullable(),
  /** How a final result became final. */
  decided: z
    .object({
      how: z.enum(['confirmed', 'auto_confirmed', 'settled', 'corrected']),
      by: z.string().nullable(),
      at: z.string(),
    })
    .nullable(),
  /** For `If-Match` on confirm, dispute, settle and correct; 0 while nothing is entered. */
  version: z.number().int(),
  /** What the signed-in user may do now. */
  can: z.object({
    enter: z.boolean(),
    confirm: z.boolean(),
    dispute: z.boolean(),
    settle: z.boolean(),
    correct: z.boolean(),
  }),
  history: z.array(ResultEvent),
});

export type MatchResult = z.infer<typeof MatchResult>;
