#!/bin/bash
# Vaultwarden for ProxiCloud (written for this project): built from the pinned source tag with a
# pinned Rust toolchain. Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

APP=/opt/vaultwarden

install_app() {
  pc_apt build-essential pkg-config libssl-dev ca-certificates
  if [ "$(cat "${APP}/VERSION" 2>/dev/null || true)" = "${APP_VERSION}" ]; then return 0; fi
  pc_fetch rustup_init /root/.proxicloud/app/rustup-init
  chmod 0755 /root/.proxicloud/app/rustup-init
  /root/.proxicloud/app/rustup-init -y --profile minimal --default-toolchain 1.83.0
  pc_fetch vw_src /root/.proxicloud/app/vw.tar.gz
  pc_fetch web_vault /root/.proxicloud/app/web.tar.gz
  rm -rf /root/.proxicloud/app/vw && mkdir -p /root/.proxicloud/app/vw "${APP}"
  tar -xzf /root/.proxicloud/app/vw.tar.gz -C /root/.proxicloud/app/vw --strip-components=1
  (cd /root/.proxicloud/app/vw && "${HOME}/.cargo/bin/cargo" build --locked --release --features sqlite)
  install -m 0755 /root/.proxicloud/app/vw/target/release/vaultwarden "${APP}/vaultwarden"
  rm -rf "${APP}/web-vault" && tar -xzf /root/.proxicloud/app/web.tar.gz -C "${APP}"
  echo "${APP_VERSION}" >"${APP}/VERSION"
}

configure_app() {
  id vaultwarden >/dev/null 2>&1 || useradd --system --home-dir /var/lib/vaultwarden vaultwarden
  install -d -o vaultwarden -g vaultwarden -m 0700 /var/lib/vaultwarden
  umask 077
  cat >/etc/vaultwarden.env <<CONF
DATA_FOLDER=/var/lib/vaultwarden
WEB_VAULT_FOLDER=${APP}/web-vault
ROCKET_ADDRESS=0.0.0.0
ROCKET_PORT=8000
DOMAIN=${DOMAIN}
SIGNUPS_ALLOWED=${PC_PARAM_SIGNUPSALLOWED}
ADMIN_TOKEN=${PC_PARAM_ADMINTOKEN}
CONF
  pc_unit vaultwarden "[Unit]
Description=Vaultwarden
After=network.target
[Service]
User=vaultwarden
EnvironmentFile=/etc/vaultwarden.env
ExecStart=${APP}/vaultwarden
Restart=on-failure
[Install]
WantedBy=multi-user.target"
  pc_log "Vaultwarden ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
