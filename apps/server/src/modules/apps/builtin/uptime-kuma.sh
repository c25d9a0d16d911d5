#!/bin/bash
# Uptime Kuma for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

APP=/opt/uptime-kuma

install_app() {
  pc_apt nodejs npm ca-certificates
  if [ "$(cat "${APP}/VERSION" 2>/dev/null || true)" = "${APP_VERSION}" ]; then return 0; fi
  pc_fetch kuma_src /root/.proxicloud/app/kuma.tar.gz
  pc_fetch kuma_dist /root/.proxicloud/app/dist.tar.gz
  install -d "${APP}"
  tar -xzf /root/.proxicloud/app/kuma.tar.gz -C "${APP}" --strip-components=1
  rm -rf "${APP}/dist" && tar -xzf /root/.proxicloud/app/dist.tar.gz -C "${APP}"
  (cd "${APP}" && npm ci --omit=dev --no-audit --no-fund)
  echo "${APP_VERSION}" >"${APP}/VERSION"
}

configure_app() {
  install -d "${APP}/data"
  pc_unit uptime-kuma "[Unit]
Description=Uptime Kuma
After=network.target
[Service]
WorkingDirectory=${APP}
ExecStart=/usr/bin/node server/server.js
Restart=on-failure
[Install]
WantedBy=multi-user.target"
  pc_log "Uptime Kuma ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
