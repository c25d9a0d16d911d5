#!/bin/bash
# code-server for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

install_app() {
  pc_apt ca-certificates git
  id coder >/dev/null 2>&1 || useradd --create-home --shell /bin/bash coder
  if [ "$(dpkg-query -W -f='${Version}' code-server 2>/dev/null || true)" != "${APP_VERSION}" ]; then
    pc_fetch code_server_deb /root/.proxicloud/app/code-server.deb
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q /root/.proxicloud/app/code-server.deb
  fi
}

configure_app() {
  install -d -o coder -g coder /home/coder/projects /home/coder/.config/code-server
  umask 077
  cat >/home/coder/.config/code-server/config.yaml <<CONF
bind-addr: 0.0.0.0:8080
auth: password
password: ${PC_PARAM_PASSWORD}
cert: false
CONF
  chown coder:coder /home/coder/.config/code-server/config.yaml
  systemctl enable --now code-server@coder
  systemctl restart code-server@coder
  pc_log "code-server ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
