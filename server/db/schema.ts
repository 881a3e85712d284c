import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables. Keep in step with `migrations/`. */
export interface DB {
  users: UsersTable;
  profiles: ProfilesTable;
  sessions: SessionsTable;
  auth_flows: AuthFlowsTable;
  idempotency_keys: IdempotencyKeysTable;
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
