#!/bin/bash
# Home Assistant Core for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

VENV=/opt/homeassistant

install_app() {
  pc_apt python3 python3-venv python3-dev build-essential libffi-dev libssl-dev autoconf ffmpeg
  id homeassistant >/dev/null 2>&1 || useradd --system --home-dir /srv/homeassistant homeassistant
  [ -x "${VENV}/bin/python" ] || python3 -m venv "${VENV}"
  "${VENV}/bin/pip" install --quiet "homeassistant==${APP_VERSION}"
}

configure_app() {
  install -d -o homeassistant -g homeassistant /srv/homeassistant
  ln -sf "/usr/share/zoneinfo/${PC_PARAM_TIMEZONE}" /etc/localtime
  pc_unit home-assistant "[Unit]
Description=Home Assistant
After=network-online.target
[Service]
User=homeassistant
ExecStart=${VENV}/bin/hass -c /srv/homeassistant
Restart=on-failure
[Install]
WantedBy=multi-user.target"
  pc_log "Home Assistant ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
