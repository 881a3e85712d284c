import { z } from 'zod';
import { DEFAULT_STANDINGS_RULES, TIEBREAKERS } from '../rules/standings';
import { Id, PersonRef } from './results';

/** A division's standings and the rules that order them. */

export const TiebreakerName = z.enum(TIEBREAKERS);

/** A league's standings rules; `domain/rules/standings.ts` applies them. */
export const StandingsRulesInput = z
  .object({
    pointsFor: z.enum(['matches', 'lines']),
    win: z.number().int().min(0).max(10),
    tie: z.number().int().min(0).max(10),
    loss: z.number().int().min(0).max(10),
    tiebreakers: z
      .array(TiebreakerName)
      .max(TIEBREAKERS.length)
      .refine((list) => new Set(list).size === list.length, 'Each tiebreaker only once'),
  })
  .refine((r) => r.win >= r.tie && r.tie >= r.loss, {
    message: 'A win must earn at least a tie, and a tie at least a loss',
    path: ['win'],
  });

export type StandingsRulesInput = z.infer<typeof StandingsRulesInput>;

/** The rules a new league starts with: the standings rule's defaults. */
export const DEFAULT_STANDINGS_RULES_INPUT: StandingsRulesInput = {
  ...DEFAULT_STANDINGS_RULES,
  tiebreakers: [...DEFAULT_STANDINGS_RULES.tiebreakers],
};

/** `GET /api/divisions/:id/standings`. */
export const Standings = z.object({
  divisionId: Id,
  rules: StandingsRulesInput,
  rows: z.array(
    z.object({
      rank: z.number().int(),
      team: PersonRef,
      played: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      tied: z.number().int(),
      points: z.number(),
      linesWon: z.number().int(),
      linesLost: z.number().int(),
      setsWon: z.number().int(),
      setsLost: z.number().int(),
      gamesWon: z.number().int(),
      gamesLost: z.number().int(),
      forfeits: z.number().int(),
      linesPct: z.number().nullable(),
      setsPct: z.number().nullable(),
      gamesPct: z.number().nullable(),
      decidedBy: z.enum(['points', ...TIEBREAKERS]).nullable(),
    }),
  ),
});

export type Standings = z.infer<typeof Standings>;
