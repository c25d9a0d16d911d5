#!/bin/bash
# Netdata for ProxiCloud (written for this project), Debian 12's package. Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

install_app() {
  pc_apt "netdata=${APP_VERSION}-2"
}

configure_app() {
  local seconds=$((PC_PARAM_RETENTIONHOURS * 3600))
  cat >/etc/netdata/netdata.conf <<CONF
[global]
  history = ${seconds}
[web]
  bind to = 0.0.0.0
CONF
  systemctl enable --now netdata
  systemctl restart netdata
  pc_log "Netdata ${APP_VERSION} configured (${PC_PARAM_RETENTIONHOURS} h history)"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
