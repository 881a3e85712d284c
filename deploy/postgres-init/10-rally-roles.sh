#!/usr/bin/env bash
# Rally Connect's database roles (docs/deployment.md#postgresql, decision 0007). The postgres image
# runs this once, as the superuser POSTGRES_USER, when it creates an empty data directory:
#
#   rally_owner   LOGIN       owns the tables; `rally migrate` connects as it (DATABASE_OWNER_URL)
#   rally         LOGIN       the app's connection (DATABASE_URL): owns nothing, no superuser, no
#                             BYPASSRLS, NOINHERIT: it works as rally_system and, for each
#                             request, as rally_app, never with both roles' rights at once
#   rally_app     NOLOGIN     what a signed-in (or signed-out) request may do, under the policies
#   rally_system  NOLOGIN     what the app does with nobody signed in: sessions, sign-in, jobs
set -euo pipefail
: "${RALLY_OWNER_PASSWORD:?set RALLY_OWNER_PASSWORD in .env.production}"
: "${RALLY_APP_PASSWORD:?set RALLY_APP_PASSWORD in .env.production}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$RALLY_OWNER_PASSWORD" -v app_password="$RALLY_APP_PASSWORD" \
  -v database="$POSTGRES_DB" <<'SQL'
create role rally_app nologin;
create role rally_system nologin;
create role rally_owner login nosuperuser nobypassrls nocreaterole password :'owner_password';
-- Migration 0001 makes its role a member of rally_app: granted here, it needs no CREATEROLE.
grant rally_app to rally_owner;
create role rally login noinherit nosuperuser nobypassrls nocreaterole nocreatedb
  password :'app_password';
grant rally_app, rally_system to rally;
alter database :"database" owner to rally_owner;
-- PostgreSQL 15 and later already keep PUBLIC from creating in the schema public.
revoke create on schema public from public;
alter schema public owner to rally_owner;
SQL
