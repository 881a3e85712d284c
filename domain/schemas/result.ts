import { z } from 'zod';
import { LINE_OUTCOMES } from '../rules/scoring';
import { DEFAULT_STANDINGS_RULES, TIEBREAKERS } from '../rules/standings';
import { SPORTS } from './profile';
import { cleanText } from './text';

/**
 * Shapes of results, standings, ratings and stats (issue #6). Scores are entered per line, home
 * side first; `domain/rules/scoring.ts` checks them against the league's match format.
 */

const Id = z.string().uuid();
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

const PersonRef = z.object({ id: Id, name: z.string() });

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
