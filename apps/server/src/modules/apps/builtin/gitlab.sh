#!/bin/bash
# GitLab CE for ProxiCloud (written for this project), Omnibus package pinned by version.
# Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

install_app() {
  pc_apt ca-certificates gnupg openssh-server
  pc_fetch repo_key /root/.proxicloud/app/gitlab.key
  gpg --dearmor --yes -o /usr/share/keyrings/gitlab.gpg /root/.proxicloud/app/gitlab.key
  echo "deb [signed-by=/usr/share/keyrings/gitlab.gpg] https://packages.gitlab.com/gitlab/gitlab-ce/debian/ bookworm main" \
    >/etc/apt/sources.list.d/gitlab.list
  rm -f /root/.proxicloud/app/.apt-updated
  GITLAB_ROOT_PASSWORD="${PC_PARAM_ROOTPASSWORD}" EXTERNAL_URL="${EXTERNAL_URL}" pc_apt "gitlab-ce=${APP_VERSION}"
}

configure_app() {
  if ! grep -q "^external_url '${EXTERNAL_URL}'" /etc/gitlab/gitlab.rb; then
    sed -i "s|^external_url .*|external_url '${EXTERNAL_URL}'|" /etc/gitlab/gitlab.rb
  fi
  gitlab-ctl reconfigure
  pc_log "GitLab ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
