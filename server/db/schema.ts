import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables. Keep in step with `migrations/`. */
export interface DB {
  users: UsersTable;
  profiles: ProfilesTable;
  sessions: SessionsTable;
  auth_flows: AuthFlowsTable;
  idempotency_keys: IdempotencyKeysTable;
  leagues: LeaguesTable;
  league_organizers: LeagueOrganizersTable;
  league_organizer_invites: LeagueOrganizerInvitesTable;
  seasons: SeasonsTable;
  divisions: DivisionsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  team_invites: TeamInvitesTable;
  people: PeopleView;
  venues: VenuesTable;
  matches: MatchesTable;
  match_events: MatchEventsTable;
  calendar_feeds: CalendarFeedsTable;
  match_availability: MatchAvailabilityTable;
  lineup_slots: LineupSlotsTable;
  match_proposals: MatchProposalsTable;
  match_results: MatchResultsTable;
  result_events: ResultEventsTable;
  line_results: LineResultsTable;
  line_players: LinePlayersTable;
  player_ratings: PlayerRatingsTable;
  rating_events: RatingEventsTable;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Set by the database on insert (`default now()`). */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  oidc_issuer: string;
  oidc_subject: string;
  email: string | null;
  email_verified: Generated<boolean>;
  role: 'player' | 'captain' | 'organizer' | null;
  is_demo: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ProfilesTable {
  user_id: string;
  display_name: string;
  phone: string | null;
  city_or_club: string;
  /** jsonb: `[{ sport, level }]`; written as a JSON string. */
  sports: ColumnType<unknown, string, string>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface SessionsTable {
  /** HMAC of the cookie's token: a copy of the table gives nobody a usable session. */
  id: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  user_agent: string | null;
}

export interface AuthFlowsTable {
  id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: Timestamp;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string | null, string | null>;
  created_at: CreatedAt;
}

/** A calendar date, written and (selected as `::text`) read as `YYYY-MM-DD`. */
type DateColumn = ColumnType<string, string, string>;
/** `numeric`: both drivers return a string, so it is converted where read. */
type Numeric = ColumnType<string, number | null, number | null>;

export interface LeaguesTable {
  id: Generated<string>;
  name: string;
  sport: string;
  custom_sport: string | null;
  description: string | null;
  visibility: 'public' | 'private';
  /** jsonb MatchFormat; written as a JSON string. */
  format: ColumnType<unknown, string, string>;
  roster_min: number;
  roster_max: number;
  result_confirm_hours: Generated<number>;
  /** jsonb StandingsRules; written as a JSON string. */
  standings_rules: ColumnType<unknown, string | undefined, string>;
  /** IANA zone of the league's match dates and times (migration 0007). */
  time_zone: Generated<string>;
  created_by: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface LeagueOrganizersTable {
  league_id: string;
  user_id: string;
  role: 'owner' | 'co_organizer';
  created_at: CreatedAt;
}

/** An invitation to co-organize a league, addressed to an e-mail (migration 0010). */
export interface LeagueOrganizerInvitesTable {
  id: Generated<string>;
  league_id: string;
  email: string;
  invited_by: string;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  declined_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SeasonsTable {
  id: Generated<string>;
  league_id: string;
  name: string;
  starts_on: DateColumn;
  ends_on: DateColumn;
  registration_open: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface DivisionsTable {
  id: Generated<string>;
  season_id: string;
  name: string;
  level_min: Numeric | null;
  level_max: Numeric | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface TeamsTable {
  id: Generated<string>;
  division_id: string;
  name: string;
  home_venue: string | null;
  primary_colour: string | null;
  secondary_colour: string | null;
  archived_at: Timestamp | null;
  created_by: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: 'captain' | 'co_captain' | 'player';
  status: Generated<'active' | 'substitute' | 'injured'>;
  joined_at: CreatedAt;
  version: Generated<number>;
  updated_at: CreatedAt;
}

export interface TeamInvitesTable {
  id: Generated<string>;
  team_id: string;
  token_hash: string;
  kind: 'link' | 'email';
  email: string | null;
  message: string | null;
  max_uses: number;
  uses: Generated<number>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  declined_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
}

/** Display names of the people the acting user may see (view `people`). */
export interface PeopleView {
  user_id: string;
  display_name: string;
}

export interface VenuesTable {
  id: Generated<string>;
  league_id: string;
  name: string;
  address: string | null;
  courts: number;
  /** jsonb `[{ weekday, from, to }]`; written as a JSON string. */
  availability: ColumnType<unknown, string, string>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type MatchStatus = 'scheduled' | 'postponed' | 'cancelled' | 'played';

export interface MatchesTable {
  id: Generated<string>;
  division_id: string;
  round: number | null;
  home_team_id: string;
  away_team_id: string;
  venue_id: string | null;
  /** Read as `::text` (`YYYY-MM-DD`). */
  match_date: DateColumn;
  /** Read as `HH:MM`. */
  start_time: ColumnType<string, string, string>;
  duration_minutes: number;
  courts: Generated<number>;
  status: Generated<MatchStatus>;
  cancel_reason: string | null;
  sequence: Generated<number>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface MatchEventsTable {
  id: Generated<string>;
  match_id: string;
  actor_id: string | null;
  at: CreatedAt;
  kind: 'created' | 'updated' | 'postponed' | 'cancelled';
  /** jsonb; written as a JSON string. */
  details: ColumnType<unknown, string | undefined, string>;
}

export interface CalendarFeedsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string | null;
  team_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface MatchAvailabilityTable {
  match_id: string;
  team_id: string;
  user_id: string;
  answer: 'available' | 'maybe' | 'unavailable';
  note: string | null;
  updated_at: CreatedAt;
}

export interface LineupSlotsTable {
  match_id: string;
  team_id: string;
  kind: 'singles' | 'doubles';
  line: number;
  seat: number;
  user_id: string;
}

export interface MatchProposalsTable {
  id: Generated<string>;
  match_id: string;
  team_id: string;
  proposed_by: string;
  match_date: DateColumn;
  start_time: ColumnType<string, string, string>;
  message: string | null;
  status: Generated<'open' | 'accepted' | 'declined' | 'withdrawn'>;
  decided_by: string | null;
  created_at: CreatedAt;
  decided_at: Timestamp | null;
}

/** jsonb, read as parsed JSON and written as a JSON string. */
type Json = ColumnType<unknown, string, string>;
type LineKindColumn = 'singles' | 'doubles';

export interface MatchResultsTable {
  match_id: string;
  division_id: string;
  status: 'pending' | 'disputed' | 'final';
  lines: Json;
  totals: Json;
  entered_team_id: string | null;
  entered_by: string | null;
  entered_at: CreatedAt;
  confirm_by: Timestamp | null;
  dispute_team_id: string | null;
  dispute_comment: string | null;
  dispute_lines: ColumnType<unknown, string | null, string | null>;
  dispute_totals: ColumnType<unknown, string | null, string | null>;
  disputed_at: Timestamp | null;
  decided_how: 'confirmed' | 'auto_confirmed' | 'settled' | 'corrected' | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  version: Generated<number>;
  updated_at: CreatedAt;
}

export interface ResultEventsTable {
  id: Generated<string>;
  match_id: string;
  division_id: string;
  at: CreatedAt;
  kind:
    'entered' | 'reentered' | 'confirmed' | 'disputed' | 'auto_confirmed' | 'settled' | 'corrected';
  actor_id: string | null;
  team_id: string | null;
  comment: string | null;
  lines: ColumnType<unknown, string | null, string | null>;
  totals: ColumnType<unknown, string | null, string | null>;
}

export interface LineResultsTable {
  match_id: string;
  division_id: string;
  kind: LineKindColumn;
  line: number;
  match_date: DateColumn;
  outcome: 'completed' | 'retired' | 'walkover' | 'default';
  winner: 'home' | 'away';
  sets: Json;
  sets_home: number;
  sets_away: number;
  games_home: number;
  games_away: number;
  text: string;
  rated: boolean;
  rating_games_home: number | null;
  rating_games_away: number | null;
}

export interface LinePlayersTable {
  match_id: string;
  division_id: string;
  kind: LineKindColumn;
  line: number;
  side: 'home' | 'away';
  team_id: string;
  user_id: string;
}

export interface PlayerRatingsTable {
  user_id: string;
  sport: string;
  kind: LineKindColumn;
  rating: number;
  deviation: number;
  reliability: number;
  matches: number;
  won: Generated<number>;
  lost: Generated<number>;
  last_played: DateColumn | null;
  state: Json;
  updated_at: CreatedAt;
}

export interface RatingEventsTable {
  id: Generated<string>;
  user_id: string;
  sport: string;
  kind: LineKindColumn;
  match_id: string;
  division_id: string;
  line: number;
  match_date: DateColumn;
  start_time: ColumnType<string, string, string>;
  won: boolean;
  before: number;
  after: number;
  deviation_after: number;
  explanation: Json;
  state_after: Json;
  created_at: CreatedAt;
}
