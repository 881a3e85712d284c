import type {
  League,
  LeagueInput,
  LeagueSport,
  Visibility,
} from '../../../../domain/schemas/league';
import { DEFAULT_MATCH_FORMAT } from '../../../../domain/schemas/league';
import type { FieldTarget } from '../../lib/forms';

/** What the league form holds: text as typed, numbers as strings until submitted. */
export interface LeagueFormValues {
  name: string;
  sport: LeagueSport | '';
  customSport: string;
  description: string;
  visibility: Visibility;
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
}

export const LEAGUE_FIELD_IDS = {
  name: 'league-name',
  sport: 'league-sport',
  customSport: 'league-customSport',
  description: 'league-description',
  visibility: 'league-visibility',
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
} as const;

const DEFAULT_ROSTER = { rosterMin: 4, rosterMax: 12 };

function countOf(league: Pick<League, 'format'>, kind: 'singles' | 'doubles'): string {
  return String(league.format.lines.find((g) => g.kind === kind)?.count ?? 0);
}

/** The form's starting values: the league being edited, or sensible defaults for a new one. */
export function leagueFormValues(league?: League): LeagueFormValues {
  const format = league?.format ?? DEFAULT_MATCH_FORMAT;
  return {
    name: league?.name ?? '',
    sport: league?.sport ?? '',
    customSport: league?.customSport ?? '',
    description: league?.description ?? '',
    visibility: league?.visibility ?? 'public',
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
  };
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
  } satisfies Record<keyof LeagueInput, unknown>;
}

const LABELS: Record<keyof typeof LEAGUE_FIELD_IDS, string> = {
  name: 'League name',
  sport: 'Sport',
  customSport: 'Name of the sport',
  description: 'Description',
  visibility: 'Who can see it',
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
  if (head && head in LEAGUE_FIELD_IDS) {
    const key = head as keyof typeof LEAGUE_FIELD_IDS;
    if (key === 'sport') return target('sport', 'Choose a sport');
    return target(key, numberMessage(message));
  }
  return null;
}
