#!/bin/bash
# authentik for ProxiCloud (written for this project): Debian's Docker with the pinned compose file.
# Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

DIR=/srv/authentik

install_app() {
  pc_apt docker.io docker-compose ca-certificates
  install -d -m 0750 "${DIR}"
  pc_fetch compose_file "${DIR}/docker-compose.yml"
}

configure_app() {
  umask 077
  cat >"${DIR}/.env" <<CONF
PG_PASS=${PC_PARAM_DBPASSWORD}
AUTHENTIK_SECRET_KEY=${PC_PARAM_SECRETKEY}
AUTHENTIK_TAG=${AUTHENTIK_TAG}
COMPOSE_PORT_HTTP=9000
COMPOSE_PORT_HTTPS=9443
CONF
  systemctl enable --now docker
  (cd "${DIR}" && docker-compose pull -q && docker-compose up -d)
  pc_log "authentik ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
