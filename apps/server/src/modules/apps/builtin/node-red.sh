#!/bin/bash
# Node-RED for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

install_app() {
  pc_apt nodejs npm
  id nodered >/dev/null 2>&1 || useradd --system --home-dir /srv/node-red nodered
  if [ "$(npm ls -g --depth=0 node-red 2>/dev/null | grep -o 'node-red@[0-9.]*' || true)" != "node-red@${APP_VERSION}" ]; then
    npm install -g --unsafe-perm --no-audit --no-fund "node-red@${APP_VERSION}"
  fi
}

configure_app() {
  install -d -o nodered -g nodered /srv/node-red
  pc_unit node-red "[Unit]
Description=Node-RED
After=network.target
[Service]
User=nodered
ExecStart=/usr/local/bin/node-red --userDir /srv/node-red
Restart=on-failure
[Install]
WantedBy=multi-user.target"
  pc_log "Node-RED ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
