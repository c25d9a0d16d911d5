#!/bin/bash
# Syncthing for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

install_app() {
  pc_apt ca-certificates
  id syncthing >/dev/null 2>&1 || useradd --system --home-dir /var/lib/syncthing --create-home syncthing
  pc_fetch syncthing_tar /root/.proxicloud/app/syncthing.tar.gz
  if [ "$(/usr/local/bin/syncthing --version 2>/dev/null | awk '{print $2}')" != "v${APP_VERSION}" ]; then
    tar -xzf /root/.proxicloud/app/syncthing.tar.gz -C /root/.proxicloud/app
    install -m 0755 "/root/.proxicloud/app/syncthing-linux-amd64-v${APP_VERSION}/syncthing" /usr/local/bin/syncthing
  fi
}

configure_app() {
  install -d -o syncthing -g syncthing /srv/sync
  pc_unit syncthing "[Unit]
Description=Syncthing
After=network.target
[Service]
User=syncthing
ExecStart=/usr/local/bin/syncthing serve --no-browser --gui-address=0.0.0.0:8384 --home=/var/lib/syncthing
Restart=on-failure
[Install]
WantedBy=multi-user.target"
  sleep 3
  runuser -u syncthing -- /usr/local/bin/syncthing cli --home=/var/lib/syncthing config gui user set "${PC_PARAM_GUIUSER}"
  runuser -u syncthing -- /usr/local/bin/syncthing cli --home=/var/lib/syncthing config gui password set "${PC_PARAM_GUIPASSWORD}"
  pc_log "Syncthing ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
