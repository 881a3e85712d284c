import type { League, LeagueInput, LeagueSport, Visibility } from '#domain/schemas/leagues';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { isTimeZone, timeZones } from '#domain/rules/dates';
import { TIEBREAKERS } from '#domain/rules/standings';
import { DEFAULT_STANDINGS_RULES_INPUT } from '#domain/schemas/standings';
import type { FieldTarget } from '../../lib/forms';
import type { TiebreakerName } from '../standings';

/** What the league form holds: text as typed, numbers as strings until submitted. */
export interface LeagueFormValues {
  name: string;
  sport: LeagueSport | '';
  customSport: string;
  description: string;
  visibility: Visibility;
  /** IANA zone of the match dates and times, e.g. `America/New_York`. */
  timeZone: string;
  singles: string;
  doubles: string;
  bestOfSets: string;
  gamesPerSet: string;
  tiebreakAt: string;
  finalSet: 'full_set' | 'match_tiebreak';
  noAd: boolean;
  teamMatchWinner: 'lines' | 'sets' | 'games';
  rosterMin: string;
  rosterMax: string;
  /** Hours before a result nobody answered becomes final on its own. */
  resultConfirmHours: string;
  pointsFor: 'matches' | 'lines';
  pointsWin: string;
  pointsTie: string;
  pointsLoss: string;
  /** Every tiebreaker in the order they apply; those not `on` are left out of the rules. */
  tiebreakers: { name: TiebreakerName; on: boolean }[];
}

export const LEAGUE_FIELD_IDS = {
  name: 'league-name',
  sport: 'league-sport',
  customSport: 'league-customSport',
  description: 'league-description',
  visibility: 'league-visibility',
  timeZone: 'league-timeZone',
  singles: 'league-singles',
  doubles: 'league-doubles',
  bestOfSets: 'league-bestOfSets',
  gamesPerSet: 'league-gamesPerSet',
  tiebreakAt: 'league-tiebreakAt',
  finalSet: 'league-finalSet',
  noAd: 'league-noAd',
  teamMatchWinner: 'league-teamMatchWinner',
  rosterMin: 'league-rosterMin',
  rosterMax: 'league-rosterMax',
  resultConfirmHours: 'league-resultConfirmHours',
  pointsFor: 'league-pointsFor',
  pointsWin: 'league-pointsWin',
  pointsTie: 'league-pointsTie',
  pointsLoss: 'league-pointsLoss',
  tiebreakers: 'league-tiebreakers',
} as const;

const DEFAULT_ROSTER = { rosterMin: 4, rosterMax: 12 };

function countOf(league: Pick<League, 'format'>, kind: 'singles' | 'doubles'): string {
  return String(league.format.lines.find((g) => g.kind === kind)?.count ?? 0);
}

/** The zone this browser's clock is in, if it is one the API knows; else `UTC`. */
export function browserTimeZone(): string {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone && isTimeZone(zone) ? zone : 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The zones to choose from, `current` among them even if this browser does not list it. */
export function timeZoneOptions(current: string): { value: string; label: string }[] {
  const zones = timeZones();
  const all = current && !zones.includes(current) ? [current, ...zones] : zones;
  return all.map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') }));
}

/** The form's starting values: the league being edited, or sensible defaults for a new one. */
export function leagueFormValues(league?: League): LeagueFormValues {
  const format = league?.format ?? DEFAULT_MATCH_FORMAT;
  const rules = league?.standingsRules ?? DEFAULT_STANDINGS_RULES_INPUT;
  const used = rules.tiebreakers;
  return {
    name: league?.name ?? '',
    sport: league?.sport ?? '',
    customSport: league?.customSport ?? '',
    description: league?.description ?? '',
    visibility: league?.visibility ?? 'public',
    // A new league is most likely played where its organizer is.
    timeZone: league?.timeZone ?? browserTimeZone(),
    singles: countOf({ format }, 'singles'),
    doubles: countOf({ format }, 'doubles'),
    bestOfSets: String(format.bestOfSets),
    gamesPerSet: String(format.gamesPerSet),
    tiebreakAt: format.tiebreakAt === null ? '' : String(format.tiebreakAt),
    finalSet: format.finalSet,
    noAd: format.noAd,
    teamMatchWinner: format.teamMatchWinner,
    rosterMin: String(league?.rosterMin ?? DEFAULT_ROSTER.rosterMin),
    rosterMax: String(league?.rosterMax ?? DEFAULT_ROSTER.rosterMax),
    resultConfirmHours: String(league?.resultConfirmHours ?? 48),
    pointsFor: rules.pointsFor,
    pointsWin: String(rules.win),
    pointsTie: String(rules.tie),
    pointsLoss: String(rules.loss),
    // The league's tiebreakers first, in its order; the unused ones after them, switched off.
    tiebreakers: [
      ...used.map((name) => ({ name, on: true })),
      ...TIEBREAKERS.filter((name) => !used.includes(name)).map((name) => ({
        name,
        on: false,
      })),
    ],
  };
}

/** The tiebreakers with one moved up (-1) or down (+1); unchanged at either end. */
export function moveTiebreaker(
  list: LeagueFormValues['tiebreakers'],
  index: number,
  by: -1 | 1,
): LeagueFormValues['tiebreakers'] {
  const to = index + by;
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [moved] = next.splice(index, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
}

/** A typed number, or NaN so that the schema reports it; empty stays undefined ("Required"). */
function toNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The API input for the form's values, unvalidated: the shared schema judges it. */
export function leagueInputFrom(values: LeagueFormValues): Record<string, unknown> {
  const lines = (['singles', 'doubles'] as const)
    .map((kind) => ({ kind, count: toNumber(values[kind]) }))
    .filter((group) => group.count !== 0);
  return {
    name: values.name,
    sport: values.sport || undefined,
    // Empty is "not named", which the schema reports as "Name the sport".
    customSport:
      values.sport === 'custom' && values.customSport.trim() !== '' ? values.customSport : null,
    description: values.description.trim() === '' ? null : values.description,
    visibility: values.visibility,
    timeZone: values.timeZone,
    format: {
      lines,
      bestOfSets: toNumber(values.bestOfSets),
      gamesPerSet: toNumber(values.gamesPerSet),
      tiebreakAt: values.tiebreakAt.trim() === '' ? null : toNumber(values.tiebreakAt),
      finalSet: values.finalSet,
      noAd: values.noAd,
      teamMatchWinner: values.teamMatchWinner,
    },
    rosterMin: toNumber(values.rosterMin),
    rosterMax: toNumber(values.rosterMax),
    resultConfirmHours: toNumber(values.resultConfirmHours),
    standingsRules: {
      pointsFor: values.pointsFor,
      win: toNumber(values.pointsWin),
      tie: toNumber(values.pointsTie),
      loss: toNumber(values.pointsLoss),
      tiebreakers: values.tiebreakers.filter((t) => t.on).map((t) => t.name),
    },
  } satisfies Record<keyof LeagueInput, unknown>;
}

const LABELS: Record<keyof typeof LEAGUE_FIELD_IDS, string> = {
  name: 'League name',
  sport: 'Sport',
  customSport: 'Name of the sport',
  description: 'Description',
  visibility: 'Who can see it',
  timeZone: 'Time zone',
  singles: 'Singles lines',
  doubles: 'Doubles lines',
  bestOfSets: 'Sets per line',
  gamesPerSet: 'Games per set',
  tiebreakAt: 'Tiebreak at',
  finalSet: 'Deciding set',
  noAd: 'No-ad scoring',
  teamMatchWinner: 'Team match won by',
  rosterMin: 'Smallest roster',
  rosterMax: 'Largest roster',
  resultConfirmHours: 'Hours to confirm a result',
  pointsFor: 'Points are given for',
  pointsWin: 'Points for a win',
  pointsTie: 'Points for a tie',
  pointsLoss: 'Points for a loss',
  tiebreakers: 'Tiebreakers',
};

function target(key: keyof typeof LEAGUE_FIELD_IDS, message?: string): FieldTarget {
  return { targetId: LEAGUE_FIELD_IDS[key], label: LABELS[key], message };
}

/** Zod's wording for a missing or malformed number, in words a person uses. */
function numberMessage(message: string): string | undefined {
  if (/expected number, received (undefined|NaN)/.test(message)) return 'Enter a whole number';
  return undefined;
}

/** Where an error of the league schema (or of the API's 400) is shown in the form. */
export function locateLeagueField(field: string, message = ''): FieldTarget | null {
  const path = field.split('.');
  const [head, second, third] = path;
  if (head === 'format') {
    if (second === 'lines') {
      if (third === undefined) return target('singles', message || undefined);
      // `format.lines.<i>.count`: which group `<i>` is depends on which counts are not zero.
      return target('singles', 'Between 0 and 9 lines of each kind');
    }
    if (second === 'bestOfSets') return target('bestOfSets', 'Choose 1, 3 or 5 sets');
    if (second === 'gamesPerSet' || second === 'tiebreakAt' || second === 'finalSet') {
      return target(second, numberMessage(message));
    }
    if (second === 'noAd' || second === 'teamMatchWinner') return target(second);
    return target('singles');
  }
  if (head === 'standingsRules') {
    if (second === 'pointsFor') return target('pointsFor');
    if (second === 'win') return target('pointsWin', numberMessage(message));
    if (second === 'tie') return target('pointsTie', numberMessage(message));
    if (second === 'loss') return target('pointsLoss', numberMessage(message));
    if (second === 'tiebreakers') return target('tiebreakers');
    return target('pointsWin');
  }
  if (head && head in LEAGUE_FIELD_IDS) {
    const key = head as keyof typeof LEAGUE_FIELD_IDS;
    if (key === 'sport') return target('sport', 'Choose a sport');
    return target(key, numberMessage(message));
  }
  return null;
}
