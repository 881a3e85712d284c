import { z } from 'zod';
import { AvailabilityAnswer } from './availability';
import { DateOnly, minutesOfDay, TimeOfDay, Weekday, WEEKDAYS } from './dates';
import { Match } from './matches';
import { cleanText, requiredText } from './text';

/**
 * Season schedules: the generator's input and draft, publishing, and the schedule views.
 *
 * Shapes of the schedule generator (scheduling issue, part 1): what an organizer gives it for a
 * division, and the draft it returns. The API validates requests with them and the web form reuses
 * them, so every cross-field rule lives here with the field it names.
 */

/**
 * Teams one schedule can hold. A round robin of 64 teams is already 63 rounds; the bound also caps
 * what validating the per-team lists of a request costs (issue #10: 256 teams × 366 dates stalled
 * the server).
 */
export const MAX_DIVISION_TEAMS = 64;

/** Dates one list may name: a season is at most a year. */
export const MAX_DATES = 366;

/** Opening windows of one venue (several per weekday at most). */
export const MAX_VENUE_HOURS = 50;

/** Ids are opaque here (UUIDs in the database); the generator only compares them. */
const Id = z
  .string({ error: requiredText })
  .trim()
  .min(1, 'Required')
  .max(64, 'At most 64 characters');

/** When a venue's courts can be used: one weekday and an opening window, e.g. Tuesday 18:00–22:00. */
export const VenueHours = z
  .object({ weekday: Weekday, from: TimeOfDay, to: TimeOfDay })
  .refine((h) => minutesOfDay(h.to) > minutesOfDay(h.from), {
    message: 'Closes before it opens',
    path: ['to'],
  });

export type VenueHours = z.infer<typeof VenueHours>;

/** A venue of the league: where home matches are played, on how many courts, and when. */
export const ScheduleVenue = z.object({
  id: Id,
  name: cleanText(1, 120),
  address: cleanText(0, 300).nullish(),
  courts: z.number().int().min(1, 'At least one court').max(100),
  availability: z
    .array(VenueHours)
    .min(1, 'Give the days and hours the courts can be used')
    .max(MAX_VENUE_HOURS),
});

export type ScheduleVenue = z.infer<typeof ScheduleVenue>;

/** A team of the division, its home venue and the dates it cannot play. */
export const ScheduleTeam = z.object({
  id: Id,
  name: cleanText(1, 60),
  homeVenueId: Id,
  unavailableDates: z.array(DateOnly).max(MAX_DATES).default([]),
});

export type ScheduleTeam = z.infer<typeof ScheduleTeam>;

/**
 * A match that already exists, given back when regenerating. Played and locked matches are kept
 * exactly; scheduled (unplayed) ones are placed again.
 */
export const ExistingMatch = z.object({
  id: Id,
  round: z.number().int().min(1),
  homeTeamId: Id,
  awayTeamId: Id,
  date: DateOnly,
  startTime: TimeOfDay,
  venueId: Id,
  /** Courts it takes; the input's `courtsPerMatch` when absent. */
  courts: z.number().int().min(1).max(100).optional(),
  status: z.enum(['played', 'locked', 'scheduled']),
});

export type ExistingMatch = z.infer<typeof ExistingMatch>;

/**
 * A match at one of the venues that this schedule does not place: another division's (a league's
 * venues are shared by all its divisions), or one of this division's that is not an existing match
 * given back. It holds its courts from its start for its duration, unless it is cancelled.
 */
export const VenueBooking = z.object({
  venueId: Id,
  date: DateOnly,
  startTime: TimeOfDay,
  durationMinutes: z.number().int().min(15).max(720),
  courts: z.number().int().min(1).max(100),
  status: z.enum(['scheduled', 'postponed', 'played', 'cancelled']),
  /** How a problem names it, e.g. `Div A: Aces v Baseliners`. */
  label: z.string().min(1).max(300),
});

export type VenueBooking = z.infer<typeof VenueBooking>;

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  const repeated: number[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) repeated.push(i);
    seen.add(k);
  });
  return repeated;
}

/** The generator's input for one division (`POST /api/divisions/:id/schedule/draft`). */
export const ScheduleInput = z
  .object({
    teams: z
      .array(ScheduleTeam)
      .min(2, 'A schedule needs at least two teams')
      .max(MAX_DIVISION_TEAMS, `At most ${MAX_DIVISION_TEAMS} teams`),
    venues: z.array(ScheduleVenue).min(1, 'Add at least one venue').max(256),
    /** Courts one team match takes at once: its lines divided by the lines played per court. */
    courtsPerMatch: z.number().int().min(1).max(20),
    startsOn: DateOnly,
    endsOn: DateOnly,
    /** Weekdays on which matches are played. */
    matchDays: z.array(Weekday).min(1, 'Choose at least one match day').max(WEEKDAYS.length),
    /** Start times offered at every venue, e.g. 18:00 and 20:00. */
    timeSlots: z.array(TimeOfDay).min(1, 'Give at least one start time').max(24),
    /** How long a team match holds its courts. */
    matchMinutes: z.number().int().min(15).max(720),
    /** Rounds played per calendar week (Monday to Sunday). */
    roundsPerWeek: z.number().int().min(1).max(7).default(1),
    doubleRoundRobin: z.boolean().default(false),
    /** League-wide dates without matches (holidays, tournaments). */
    blackoutDates: z.array(DateOnly).max(MAX_DATES).default([]),
    /** Nothing new is placed before this date (the server passes today when regenerating). */
    notBefore: DateOnly.optional(),
    /** Matches already in the division; see `ExistingMatch`. */
    existingMatches: z.array(ExistingMatch).max(100_000).default([]),
    /** Courts already taken at the venues by matches this schedule does not place. */
    venueBookings: z.array(VenueBooking).max(100_000).default([]),
  })
  .superRefine((input, ctx) => {
    if (input.endsOn < input.startsOn) {
      ctx.addIssue({ code: 'custom', message: 'Ends before it starts', path: ['endsOn'] });
    }
    for (const i of duplicates(input.teams, (t) => t.id)) {
      ctx.addIssue({
        code: 'custom',
        message: 'This team is listed twice',
        path: ['teams', i, 'id'],
      });
    }
    for (const i of duplicates(input.venues, (v) => v.id)) {
      ctx.addIssue({
        code: 'custom',
        message: 'This venue is listed twice',
        path: ['venues', i, 'id'],
      });
    }
    for (const i of duplicates(input.matchDays, (d) => d)) {
      ctx.addIssue({ code: 'custom', message: 'This day is listed twice', path: ['matchDays', i] });
    }
    for (const i of duplicates(input.timeSlots, (t) => t)) {
      ctx.addIssue({
        code: 'custom',
        message: 'This time is listed twice',
        path: ['timeSlots', i],
      });
    }
    const venueIds = new Set(input.venues.map((v) => v.id));
    const teamIds = new Set(input.teams.map((t) => t.id));
    input.teams.forEach((team, i) => {
      if (!venueIds.has(team.homeVenueId)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Not one of the venues',
          path: ['teams', i, 'homeVenueId'],
        });
      }
    });
    input.existingMatches.forEach((match, i) => {
      for (const field of ['homeTeamId', 'awayTeamId'] as const) {
        if (!teamIds.has(match[field])) {
          ctx.addIssue({
            code: 'custom',
            message: 'Not a team of the division',
            path: ['existingMatches', i, field],
          });
        }
      }
      if (match.homeTeamId === match.awayTeamId) {
        ctx.addIssue({
          code: 'custom',
          message: 'A team cannot play itself',
          path: ['existingMatches', i, 'awayTeamId'],
        });
      }
      if (!venueIds.has(match.venueId)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Not one of the venues',
          path: ['existingMatches', i, 'venueId'],
        });
      }
    });
    input.venueBookings.forEach((booking, i) => {
      if (!venueIds.has(booking.venueId)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Not one of the venues',
          path: ['venueBookings', i, 'venueId'],
        });
      }
    });
  });

/** What a client sends (defaults optional). */
export type ScheduleInput = z.input<typeof ScheduleInput>;

/** What the generator works on: validated, defaults filled in. */
export type ValidScheduleInput = z.output<typeof ScheduleInput>;

/**
 * One entry of a draft schedule. A bye is an entry with `awayTeamId: null` and no venue; a match
 * that could not be placed keeps its pairing with `date`, `startTime` and `venueId` null, and a
 * problem says why.
 */
export const DraftMatch = z.object({
  /** Stable for the same input: `r03-m02` for generated entries, the existing id for kept ones. */
  id: z.string(),
  round: z.number().int(),
  homeTeamId: z.string(),
  awayTeamId: z.string().nullable(),
  date: z.string().nullable(),
  startTime: z.string().nullable(),
  venueId: z.string().nullable(),
  courts: z.number().int(),
  /** `draft`: generated now; `played` and `locked`: kept from the existing schedule. */
  status: z.enum(['draft', 'played', 'locked']),
});

export type DraftMatch = z.infer<typeof DraftMatch>;

export const SCHEDULE_PROBLEM_KINDS = [
  /** No allowed match day is left in the season for a round. */
  'season_too_short',
  /** A team cannot play on the round's date nor on the other match days of that week. */
  'team_unavailable',
  /** A team already plays on every date the match could take (a kept match, another round). */
  'team_busy',
  /**
   * The home venue has no slot with enough free courts on any date the match could take (its
   * courts held by this schedule's other matches or by `venueBookings`).
   */
  'no_court',
  /** A venue has fewer courts than one match needs. */
  'venue_too_small',
  /** A start time fits no venue's hours on any match day: allowed, but it will never be used. */
  'slot_outside_venue_hours',
] as const;

/** A constraint the draft could not meet, named with where it fails. Never thrown; listed. */
export const ScheduleProblem = z.object({
  kind: z.enum(SCHEDULE_PROBLEM_KINDS),
  message: z.string(),
  matchId: z.string().optional(),
  round: z.number().int().optional(),
  teamIds: z.array(z.string()).optional(),
  date: z.string().optional(),
  venueId: z.string().optional(),
});

export type ScheduleProblem = z.infer<typeof ScheduleProblem>;

/** The generator's answer: every pairing (placed or not), and what could not be met. */
export const DraftSchedule = z.object({
  matches: z.array(DraftMatch),
  problems: z.array(ScheduleProblem),
});

export type DraftSchedule = z.infer<typeof DraftSchedule>;

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

/** A match of my schedule, with my own answer to "Can you play?" (null: not answered). */
export const MyMatch = Match.extend({ myAvailability: AvailabilityAnswer.nullable() });

export type MyMatch = z.infer<typeof MyMatch>;
