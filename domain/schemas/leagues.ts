import { z } from 'zod';
import { DateOnly } from './dates';
import { isTimeZone } from '../rules/dates';
import { EmailInviteInput } from './invites';
import { SPORTS } from './me';
import { DEFAULT_STANDINGS_RULES_INPUT, StandingsRulesInput } from './standings';
import { cleanText, requiredText } from './text';

/** Leagues, their seasons, divisions, match format and organizers. */

/** A league's sport: one of the known ones, or `custom` with its own name. */
export const LEAGUE_SPORTS = [...SPORTS, 'custom'] as const;

export const LeagueSport = z.enum(LEAGUE_SPORTS);

export type LeagueSport = z.infer<typeof LeagueSport>;

export const Visibility = z.enum(['public', 'private']);

export type Visibility = z.infer<typeof Visibility>;

/** A group of lines of one kind in a team match, e.g. 3 doubles lines. */
export const LineGroup = z.object({
  kind: z.enum(['singles', 'doubles']),
  count: z.number().int().min(1).max(9),
});

/**
 * How a team match is played: its lines (e.g. 2 singles + 3 doubles), how each line is scored,
 * and how the team match is won. Score entry (results issue) validates scores against this.
 */
export const MatchFormat = z
  .object({
    lines: z
      .array(LineGroup)
      .min(1, 'A team match needs at least one line')
      .max(2)
      .refine(
        (groups) => new Set(groups.map((g) => g.kind)).size === groups.length,
        'List singles and doubles once each',
      ),
    /** Best of 1, 3 or 5 sets per line. */
    bestOfSets: z.union([z.literal(1), z.literal(3), z.literal(5)]),
    /** Games that win a set (6 in tennis and padel; 11 points in pickleball, played as games). */
    gamesPerSet: z.number().int().min(1).max(21),
    /** At this many games all, a tiebreak decides the set; null: play on until two clear. */
    tiebreakAt: z.number().int().min(1).max(21).nullable(),
    /** The deciding set is a full set or a match tiebreak (first to 10). */
    finalSet: z.enum(['full_set', 'match_tiebreak']),
    /** No-advantage scoring: at deuce, one deciding point. */
    noAd: z.boolean(),
    /** A team match goes to the team that wins more lines, sets, or games. */
    teamMatchWinner: z.enum(['lines', 'sets', 'games']),
  })
  .refine((f) => f.tiebreakAt === null || f.tiebreakAt <= f.gamesPerSet, {
    message: 'The tiebreak cannot come after the set is won',
    path: ['tiebreakAt'],
  });

export type MatchFormat = z.infer<typeof MatchFormat>;

/** A common tennis league format: 2 singles and 3 doubles, best of 3, match tiebreak. */
export const DEFAULT_MATCH_FORMAT: MatchFormat = {
  lines: [
    { kind: 'singles', count: 2 },
    { kind: 'doubles', count: 3 },
  ],
  bestOfSets: 3,
  gamesPerSet: 6,
  tiebreakAt: 6,
  finalSet: 'match_tiebreak',
  noAd: false,
  teamMatchWinner: 'lines',
};

const RosterLimits = {
  rosterMin: z.number().int().min(1).max(100),
  rosterMax: z.number().int().min(1).max(100),
};

/** Hours a pending result waits for the other captain before it is confirmed automatically. */
export const ResultConfirmHours = z
  .number()
  .int('Whole hours only')
  .min(1, 'At least 1 hour')
  .max(720, 'At most 720 hours (30 days)');

/** A league's results settings (issue #6): confirmation deadline and standings rules. */
const ResultSettings = {
  resultConfirmHours: ResultConfirmHours,
  standingsRules: StandingsRulesInput,
};

/**
 * The IANA time zone of a league's match dates and start times (issue #5), e.g.
 * `America/New_York`; `UTC` when none was chosen. "Today" for the league's matches is the date
 * there, and calendar feeds place each match at its instant from it.
 */
export const TimeZone = z
  .string({ error: requiredText })
  .refine(isTimeZone, 'Not a time zone: use an IANA name such as Europe/London');

const rosterOrder = {
  message: 'The largest roster cannot be smaller than the smallest',
  path: ['rosterMax'],
};

/** `POST /api/leagues`. */
export const LeagueInput = z
  .object({
    name: cleanText(2, 80),
    sport: LeagueSport,
    customSport: cleanText(2, 40).nullish(),
    description: cleanText(0, 2000).nullish(),
    visibility: Visibility,
    format: MatchFormat,
    ...RosterLimits,
    resultConfirmHours: ResultConfirmHours.default(48),
    standingsRules: StandingsRulesInput.default(DEFAULT_STANDINGS_RULES_INPUT),
    timeZone: TimeZone.default('UTC'),
  })
  .refine((l) => l.rosterMin <= l.rosterMax, rosterOrder)
  .refine((l) => l.sport !== 'custom' || Boolean(l.customSport), {
    message: 'Name the sport',
    path: ['customSport'],
  });

export type LeagueInput = z.input<typeof LeagueInput>;

/** `PATCH /api/leagues/:id`: any subset of the fields. */
export const LeaguePatch = z
  .object({
    name: cleanText(2, 80),
    sport: LeagueSport,
    customSport: cleanText(2, 40).nullable(),
    description: cleanText(0, 2000).nullable(),
    visibility: Visibility,
    format: MatchFormat,
    ...RosterLimits,
    ...ResultSettings,
    timeZone: TimeZone,
  })
  .partial()
  .refine((l) => Object.keys(l).length > 0, 'Nothing to change');

/** `POST /api/leagues/:id/seasons`. */
export const SeasonInput = z
  .object({
    name: cleanText(2, 60),
    startsOn: DateOnly,
    endsOn: DateOnly,
    registrationOpen: z.boolean().default(true),
  })
  .refine((s) => s.endsOn >= s.startsOn, { message: 'Ends before it starts', path: ['endsOn'] });

export type SeasonInput = z.input<typeof SeasonInput>;

export const SeasonPatch = z
  .object({
    name: cleanText(2, 60),
    startsOn: DateOnly,
    endsOn: DateOnly,
    registrationOpen: z.boolean(),
  })
  .partial()
  .refine((s) => Object.keys(s).length > 0, 'Nothing to change');

/** `POST /api/seasons/:id/divisions`: a level band, e.g. "3.5 Women" for levels 3.0 to 3.5. */
export const DivisionInput = z
  .object({
    name: cleanText(1, 60),
    levelMin: z.number().min(0).max(10).nullish(),
    levelMax: z.number().min(0).max(10).nullish(),
  })
  .refine((d) => d.levelMin == null || d.levelMax == null || d.levelMin <= d.levelMax, {
    message: 'The upper level cannot be below the lower one',
    path: ['levelMax'],
  });

export type DivisionInput = z.input<typeof DivisionInput>;

/** What the acting user may do with a league, so the web app shows only what will work. */
export const LeagueAccess = z.object({
  isOrganizer: z.boolean(),
  isMember: z.boolean(),
});

export const Division = z.object({
  id: z.string().uuid(),
  seasonId: z.string().uuid(),
  name: z.string(),
  levelMin: z.number().nullable(),
  levelMax: z.number().nullable(),
  teamCount: z.number().int(),
});

export type Division = z.infer<typeof Division>;

export const Season = z.object({
  id: z.string().uuid(),
  leagueId: z.string().uuid(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  registrationOpen: z.boolean(),
  version: z.number().int(),
  divisions: z.array(Division),
});

export type Season = z.infer<typeof Season>;

export const Organizer = z.object({
  userId: z.string().uuid(),
  displayName: z.string(),
  role: z.enum(['owner', 'co_organizer']),
});

export const League = z.object({
  id: z.string().uuid(),
  name: z.string(),
  sport: LeagueSport,
  customSport: z.string().nullable(),
  description: z.string().nullable(),
  visibility: Visibility,
  format: MatchFormat,
  rosterMin: z.number().int(),
  rosterMax: z.number().int(),
  ...ResultSettings,
  timeZone: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  organizers: z.array(Organizer),
  seasons: z.array(Season),
  access: LeagueAccess,
});

export type League = z.infer<typeof League>;

export const LeagueSummary = z.object({
  id: z.string().uuid(),
  name: z.string(),
  sport: LeagueSport,
  customSport: z.string().nullable(),
  visibility: Visibility,
  access: LeagueAccess,
});

export type LeagueSummary = z.infer<typeof LeagueSummary>;

/** Most leagues `GET /api/leagues` answers with at once, unless `limit` asks for fewer. */
export const LEAGUES_PAGE_SIZE = 50;

/**
 * `GET /api/leagues`: a search in the names and a page size. The next page's address comes in
 * the answer's `Link` header (`rel="next"`), with an opaque `after` the client passes on as is.
 */
export const LeaguesQuery = z.object({
  q: cleanText(1, 100)
    .optional()
    .describe('Only leagues whose name contains this text (any case), 1 to 100 characters.'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(LEAGUES_PAGE_SIZE)
    .describe('Leagues per page, 1 to 200.'),
});

export type LeaguesQuery = z.input<typeof LeaguesQuery>;

/** `POST /api/leagues/:id/organizers`: invite somebody, by e-mail, to co-organize the league. */
export const OrganizerInviteInput = EmailInviteInput.pick({ email: true });

export type OrganizerInviteInput = z.input<typeof OrganizerInviteInput>;

/**
 * An invitation to co-organize a league, as its organizers see it: the e-mail they typed and
 * what became of it, never who (if anybody) has an account with that address.
 */
export const OrganizerInvite = z.object({
  id: z.string().uuid(),
  email: z.string(),
  status: z.enum(['pending', 'accepted', 'declined', 'withdrawn', 'expired']),
  expiresAt: z.string(),
  createdAt: z.string(),
  /** Present only in the response that made it: `logged` when no mail server is configured. */
  delivery: z.enum(['sent', 'logged']).optional(),
});

export type OrganizerInvite = z.infer<typeof OrganizerInvite>;

/** A pending invitation to co-organize, as its addressee sees it (`GET /api/organizer-invites`). */
export const MyOrganizerInvite = z.object({
  id: z.string().uuid(),
  leagueId: z.string().uuid(),
  leagueName: z.string(),
  sport: LeagueSport,
  customSport: z.string().nullable(),
  invitedBy: z.string(),
  expiresAt: z.string(),
});

export type MyOrganizerInvite = z.infer<typeof MyOrganizerInvite>;
