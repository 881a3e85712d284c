import { z } from 'zod';
import {
  DraftSchedule,
  MAX_DATES,
  MAX_DIVISION_TEAMS,
  MAX_VENUE_HOURS,
  TimeOfDay,
  VenueHours,
  WEEKDAYS,
  Weekday,
} from './schedule';
import { cleanText } from './text';

const DateOnly = z.iso.date({
  error: (iss) => (iss.input === undefined ? 'Required' : 'Use YYYY-MM-DD'),
});

/** `POST /api/leagues/:id/venues` and `PATCH /api/venues/:id`. */
export const VenueInput = z.object({
  name: cleanText(1, 120),
  address: cleanText(0, 300).nullish(),
  courts: z.number().int().min(1, 'At least one court').max(100),
  availability: z
    .array(VenueHours)
    .min(1, 'Give the days and hours the courts can be used')
    .max(MAX_VENUE_HOURS),
});
export type VenueInput = z.input<typeof VenueInput>;

export const VenuePatch = VenueInput.partial().refine(
  (v) => Object.keys(v).length > 0,
  'Nothing to change',
);

export const Venue = z.object({
  id: z.string().uuid(),
  leagueId: z.string().uuid(),
  name: z.string(),
  address: z.string().nullable(),
  courts: z.number().int(),
  availability: z.array(VenueHours),
  version: z.number().int(),
});
export type Venue = z.infer<typeof Venue>;

/**
 * `POST /api/divisions/:id/schedule/draft` (and `/publish`): how to build a division's season
 * schedule. Teams and venues come from the league; each team's home venue is chosen here.
 */
export const ScheduleSettings = z.object({
  /** Defaults to the season's dates; nothing new is placed before today. */
  startsOn: DateOnly.optional(),
  endsOn: DateOnly.optional(),
  matchDays: z.array(Weekday).min(1, 'Choose at least one match day').max(WEEKDAYS.length),
  timeSlots: z.array(TimeOfDay).min(1, 'Give at least one start time').max(24),
  matchMinutes: z.number().int().min(15).max(720),
  roundsPerWeek: z.number().int().min(1).max(7).default(1),
  doubleRoundRobin: z.boolean().default(false),
  blackoutDates: z.array(DateOnly).max(MAX_DATES).default([]),
  /** Courts one team match takes; defaults to the league format's number of lines. */
  courtsPerMatch: z.number().int().min(1).max(20).optional(),
  homeVenues: z
    .array(z.object({ teamId: z.string().uuid(), venueId: z.string().uuid() }))
    .max(MAX_DIVISION_TEAMS),
  unavailableDates: z
    .array(z.object({ teamId: z.string().uuid(), dates: z.array(DateOnly).max(MAX_DATES) }))
    .max(MAX_DIVISION_TEAMS)
    .default([]),
});
export type ScheduleSettings = z.input<typeof ScheduleSettings>;

/** The draft to review: the generator's answer and a hash that publishing must match. */
export const ScheduleDraft = DraftSchedule.extend({
  draftHash: z.string(),
  teams: z.array(z.object({ id: z.string().uuid(), name: z.string() })),
});
export type ScheduleDraft = z.infer<typeof ScheduleDraft>;

export const SchedulePublish = ScheduleSettings.extend({ draftHash: z.string().min(1) });

/**
 * What publishing did: matches created, unplayed matches moved in place (same id, calendar UID and
 * history), and matches kept as they were (played ones, and unplayed ones the rebuild left alone).
 */
export const PublishResult = z.object({
  created: z.number().int(),
  moved: z.number().int(),
  kept: z.number().int(),
});

export const MatchStatus = z.enum(['scheduled', 'postponed', 'cancelled', 'played']);

/** A match's result in a schedule list: where it stands, and the lines each team won. */
export const MatchResultSummary = z.object({
  status: z.enum(['pending', 'disputed', 'final']),
  winner: z.enum(['home', 'away', 'tie']),
  linesHome: z.number().int(),
  linesAway: z.number().int(),
});
export type MatchResultSummary = z.infer<typeof MatchResultSummary>;

/** A team match as every schedule view shows it. Dates and times are the league's local time. */
export const Match = z.object({
  id: z.string().uuid(),
  leagueId: z.string().uuid(),
  leagueName: z.string(),
  /** The league's IANA time zone: the date and start time are its wall-clock time. */
  timeZone: z.string(),
  divisionId: z.string().uuid(),
  divisionName: z.string(),
  round: z.number().int().nullable(),
  homeTeam: z.object({ id: z.string().uuid(), name: z.string() }),
  awayTeam: z.object({ id: z.string().uuid(), name: z.string() }),
  venue: z
    .object({ id: z.string().uuid(), name: z.string(), address: z.string().nullable() })
    .nullable(),
  date: z.string(),
  startTime: z.string(),
  durationMinutes: z.number().int(),
  status: MatchStatus,
  cancelReason: z.string().nullable(),
  version: z.number().int(),
  /** Goes up on every change a calendar must notice (iCal SEQUENCE). */
  sequence: z.number().int(),
  /** The entered (pending, disputed) or final result; null while none is entered. */
  result: MatchResultSummary.nullable(),
});
export type Match = z.infer<typeof Match>;

/** `POST /api/matches/:id/postpone`: the new date and time. */
export const MatchPostpone = z.object({
  date: DateOnly,
  startTime: TimeOfDay,
  venueId: z.string().uuid().nullish(),
});

/** `POST /api/matches/:id/cancel`. */
export const MatchCancel = z.object({ reason: cleanText(3, 500) });

export const MatchEvent = z.object({
  at: z.string(),
  actor: z.string().nullable(),
  kind: z.enum(['created', 'updated', 'postponed', 'cancelled']),
  details: z.record(z.string(), z.unknown()),
});
export type MatchEvent = z.infer<typeof MatchEvent>;

/** A calendar feed: the URL is shown once, when the feed is made. */
export const CalendarFeed = z.object({ id: z.string().uuid(), url: z.string() });

export const AvailabilityAnswer = z.enum(['available', 'maybe', 'unavailable']);
export type AvailabilityAnswer = z.infer<typeof AvailabilityAnswer>;

/** A match of my schedule, with my own answer to "Can you play?" (null: not answered). */
export const MyMatch = Match.extend({ myAvailability: AvailabilityAnswer.nullable() });
export type MyMatch = z.infer<typeof MyMatch>;

/** `PUT /api/matches/:id/availability`: the signed-in player's answer for their team. */
export const AvailabilityInput = z.object({
  answer: AvailabilityAnswer,
  note: cleanText(0, 200).nullish(),
});

/** A team's availability grid for one match: every roster member and their answer. */
export const AvailabilityGrid = z.object({
  teamId: z.string().uuid(),
  players: z.array(
    z.object({
      userId: z.string().uuid(),
      displayName: z.string(),
      status: z.enum(['active', 'substitute', 'injured']),
      answer: AvailabilityAnswer.nullable(),
      note: z.string().nullable(),
    }),
  ),
});
export type AvailabilityGrid = z.infer<typeof AvailabilityGrid>;

/** One line of a lineup: singles line 1 with one player, doubles line 2 with two, … */
export const LineupLine = z.object({
  kind: z.enum(['singles', 'doubles']),
  line: z.number().int().min(1).max(9),
  players: z.array(z.string().uuid()).min(1).max(2),
});
export type LineupLine = z.infer<typeof LineupLine>;

/** `PUT /api/matches/:id/lineup`: the captain's whole lineup for their team. */
export const LineupInput = z.object({ lines: z.array(LineupLine).max(18) });
export type LineupInput = z.infer<typeof LineupInput>;

export const Lineup = z.object({
  teamId: z.string().uuid(),
  lines: z.array(
    LineupLine.extend({
      names: z.array(z.string()),
    }),
  ),
});
export type Lineup = z.infer<typeof Lineup>;

/** `POST /api/divisions/:id/matches`: one match added by an organizer. */
export const MatchCreate = z
  .object({
    homeTeamId: z.string().uuid(),
    awayTeamId: z.string().uuid(),
    date: DateOnly,
    startTime: TimeOfDay,
    durationMinutes: z.number().int().min(15).max(720),
    venueId: z.string().uuid().nullish(),
    round: z.number().int().min(1).max(200).nullish(),
  })
  .refine((m) => m.homeTeamId !== m.awayTeamId, {
    message: 'A team cannot play itself',
    path: ['awayTeamId'],
  });

/** `PATCH /api/matches/:id`: corrections that do not move the date (for that: postpone). */
export const MatchPatch = z
  .object({
    startTime: TimeOfDay,
    durationMinutes: z.number().int().min(15).max(720),
    venueId: z.string().uuid().nullable(),
    round: z.number().int().min(1).max(200).nullable(),
  })
  .partial()
  .refine((m) => Object.keys(m).length > 0, 'Nothing to change');

/** `POST /api/matches/:id/proposals`: a captain proposes a new date and time. */
export const ProposalInput = z.object({
  date: DateOnly,
  startTime: TimeOfDay,
  message: cleanText(0, 300).nullish(),
});

export const Proposal = z.object({
  id: z.string().uuid(),
  matchId: z.string().uuid(),
  teamId: z.string().uuid(),
  proposedBy: z.string().nullable(),
  date: z.string(),
  startTime: z.string(),
  message: z.string().nullable(),
  status: z.enum(['open', 'accepted', 'declined', 'withdrawn']),
  createdAt: z.string(),
});
export type Proposal = z.infer<typeof Proposal>;
