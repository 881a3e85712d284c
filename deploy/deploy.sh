#!/usr/bin/env bash
# Deploys one image of Rally Connect on this host with deploy/docker-compose.prod.yml, and rolls
# back to the image that ran before when anything after the migration fails (docs/rollback.md).
#
#   deploy.sh deploy <tag>      back up, pull, migrate, roll app1 then app2, smoke-test
#   deploy.sh rollback [<tag>]  roll both instances to <tag> (default: the one before the last
#                               deploy), then smoke-test
#
# The GitHub workflow (.github/workflows/deploy.yml) copies this folder's files to the host and
# runs this over SSH; an operator can run it by hand the same way. Next to it: .env.production
# (never copied by the pipeline), docker-compose.prod.yml, Caddyfile, postgres-init/.
#
# Settings (environment):
#   RALLY_IMAGE  the image without tag, e.g. ghcr.io/owner/rally-connect (default: rally-connect)
#   SMOKE_URL    what the smoke test checks (default: https://$RALLY_DOMAIN of .env.production)
#   READY_TIMEOUT_S  how long an instance may take to answer /ready (default 120)
#
# Exit codes: 0 deployed (or rolled back on request) and smoke-tested; 1 failed (after a rollback
# when one was possible: the last line says which); 2 bad command line.
set -Eeuo pipefail

dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
env_file="$dir/.env.production"
state_file="$dir/.deploy-state"
export RALLY_IMAGE="${RALLY_IMAGE:-rally-connect}"
ready_timeout="${READY_TIMEOUT_S:-120}"
instances=(app1 app2)

log() { printf 'deploy: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

# docker compose on the production file, with the image tag in RALLY_VERSION.
compose_at() {
  local tag=$1
  shift
  RALLY_VERSION="$tag" docker compose --env-file "$env_file" -f "$dir/docker-compose.prod.yml" "$@"
}

# A value of .env.production (for RALLY_DOMAIN): the last assignment wins, as in compose.
env_value() {
  sed -n "s/^$1=//p" "$env_file" | tail -n 1
}

# The tag the first app instance runs now, or the last one deployed (empty on a first deploy).
running_tag() {
  local id image
  id=$(compose_at unused ps -q app1 2>/dev/null || true)
  if [[ -n "$id" ]]; then
    image=$(docker inspect --format '{{.Config.Image}}' "$id")
    printf '%s\n' "${image##*:}"
  elif [[ -f "$state_file" ]]; then
    sed -n 's/^current=//p' "$state_file"
  fi
}

# Waits until `instance` answers 200 on /ready from inside its container (Caddy's own check).
wait_ready() {
  local tag=$1 instance=$2 waited=0
  local probe="fetch('http://127.0.0.1:4800/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
  until compose_at "$tag" exec -T "$instance" node -e "$probe"; do
    ((waited += 1))
    if ((waited >= ready_timeout)); then
      log "$instance did not answer /ready within ${ready_timeout} s"
      compose_at "$tag" logs --tail 30 "$instance" >&2 || true
      return 1
    fi
    sleep 1
  done
}

# Replaces the instances one at a time: while one restarts, Caddy sends everything to the other
# (it stops routing to an instance whose /ready answers 503, which a stopping one does first).
roll() {
  local tag=$1 instance
  for instance in "${instances[@]}"; do
    log "rolling $instance to $tag"
    compose_at "$tag" up -d --no-deps --wait --wait-timeout "$ready_timeout" "$instance" || return 1
    wait_ready "$tag" "$instance" || return 1
  done
  # The backup service on the same version (a backup running now is recorded as stopped, and the
  # next start makes it up).
  compose_at "$tag" up -d --no-deps backup || return 1
  # Caddy: started on a first deploy; a changed Caddyfile is loaded without dropping connections.
  compose_at "$tag" up -d --no-deps caddy || return 1
  compose_at "$tag" exec -T caddy caddy reload --config /etc/caddy/Caddyfile --adapter caddyfile ||
    log "caddy did not reload its configuration; it keeps the previous one"
}

# The compiled smoke test (dist/smoke.js) from the image itself: the host has no checkout. On the
# host's network, so that the public name resolves as visitors see it, through Caddy and TLS.
smoke() {
  local tag=$1 url
  url="${SMOKE_URL:-https://$(env_value RALLY_DOMAIN)}"
  log "smoke test of $tag against $url"
  docker run --rm --network host "$RALLY_IMAGE:$tag" node dist/smoke.js "$url"
}

record() {
  printf 'current=%s\nprevious=%s\nbackup=%s\n' "$1" "$2" "$3" >"$state_file"
}

rollback_to() {
  local tag=$1
  log "rolling back to $tag"
  roll "$tag" || die "ROLLBACK FAILED: the instances could not be brought back on $tag; see docs/rollback.md"
  smoke "$tag" || die "rolled back to $tag, but its smoke test fails too; see docs/rollback.md"
}

deploy() {
  local tag=$1 previous backup=''
  [[ -f "$env_file" ]] || die "no $env_file: copy .env.production.example and fill it in"
  previous=$(running_tag)
  log "deploying $RALLY_IMAGE:$tag (running now: ${previous:-nothing})"

  # The database and Redis first: a no-op when they already run.
  compose_at "$tag" up -d --wait db redis

  # 1. A backup before anything changes, by the running version, as the owner (migrate service):
  # the way back when a release's migration cannot be undone. Its path is the last line.
  if [[ -n "$previous" ]]; then
    backup=$(compose_at "$previous" run --rm --no-deps -T migrate \
      node dist/rally.js backup --to /app/backups | tail -n 1) ||
      die "the pre-deploy backup failed: nothing was changed"
    log "pre-deploy backup: $backup (volume backups)"
  else
    log "first deploy: nothing to back up"
  fi

  # 2. The new image.
  compose_at "$tag" pull migrate || die "could not pull $RALLY_IMAGE:$tag: nothing was changed"

  # 3. Migrations, forward only. The running instances keep serving on the new schema (expand
  # first, contract in a later release: docs/rollback.md).
  compose_at "$tag" run --rm --no-deps -T migrate ||
    die "the migration failed; the instances still run ${previous:-nothing}. Backup: ${backup:-none}"

  # 4. The instances, one at a time, then 5. the smoke test through Caddy.
  if roll "$tag" && smoke "$tag"; then
    record "$tag" "$previous" "$backup"
    log "deployed $tag (previous: ${previous:-none})"
    return 0
  fi
  if [[ -z "$previous" ]]; then
    die "$tag failed on a first deploy: there is no previous version to roll back to"
  fi
  rollback_to "$previous"
  record "$previous" "$previous" "$backup"
  die "$tag failed and was rolled back to $previous. If $tag's migration broke $previous, restore $backup (docs/rollback.md)"
}

case "${1:-}" in
  deploy)
    [[ $# -eq 2 && -n "$2" ]] || {
      echo "usage: deploy.sh deploy <tag> | deploy.sh rollback [<tag>]" >&2
      exit 2
    }
    deploy "$2"
    ;;
  rollback)
    [[ $# -le 2 ]] || {
      echo "usage: deploy.sh deploy <tag> | deploy.sh rollback [<tag>]" >&2
      exit 2
    }
    target="${2:-}"
    if [[ -z "$target" && -f "$state_file" ]]; then
      target=$(sed -n 's/^previous=//p' "$state_file")
    fi
    [[ -n "$target" ]] || die "no previous version recorded in $state_file: name the tag to roll back to"
    current=$(running_tag)
    rollback_to "$target"
    record "$target" "$current" "$(sed -n 's/^backup=//p' "$state_file" 2>/dev/null || true)"
    log "rolled back to $target"
    ;;
  *)
    echo "usage: deploy.sh deploy <tag> | deploy.sh rollback [<tag>]" >&2
    exit 2
    ;;
esac
