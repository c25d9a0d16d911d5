#!/bin/bash
# Nextcloud + PostgreSQL + Apache for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

WEB=/var/www/nextcloud
DATA=/srv/nextcloud-data

install_app() {
  pc_apt apache2 libapache2-mod-php postgresql php-pgsql php-gd php-curl php-mbstring php-intl \
    php-xml php-zip php-bcmath php-gmp php-imagick bzip2 sudo
  pc_fetch nextcloud_tar /root/.proxicloud/app/nextcloud.tar.bz2
  if [ ! -f "${WEB}/version.php" ] || ! grep -q "'${APP_VERSION}'" "${WEB}/version.php"; then
    rm -rf "${WEB}.new" && mkdir -p "${WEB}.new"
    tar -xjf /root/.proxicloud/app/nextcloud.tar.bz2 -C "${WEB}.new" --strip-components=1
    if [ -d "${WEB}/config" ]; then cp -a "${WEB}/config/." "${WEB}.new/config/"; fi
    rm -rf "${WEB}" && mv "${WEB}.new" "${WEB}"
    chown -R www-data:www-data "${WEB}"
  fi
}

configure_app() {
  install -d -o www-data -g www-data -m 0750 "${DATA}"
  systemctl enable --now postgresql
  if ! sudo -u postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='nextcloud'" | grep -q 1; then
    sudo -u postgres psql -c "CREATE ROLE nextcloud LOGIN PASSWORD '${PC_PARAM_DBPASSWORD}'"
    sudo -u postgres createdb -O nextcloud nextcloud
  fi
  cat >/etc/apache2/sites-available/nextcloud.conf <<CONF
<VirtualHost *:80>
  DocumentRoot ${WEB}
  <Directory ${WEB}>
    Require all granted
    AllowOverride All
    Options FollowSymLinks MultiViews
  </Directory>
</VirtualHost>
CONF
  a2dissite -q 000-default || true
  a2ensite -q nextcloud
  a2enmod -q rewrite headers env dir mime
  systemctl reload-or-restart apache2
  if ! sudo -u www-data php "${WEB}/occ" status --output=json | grep -q '"installed":true'; then
    sudo -u www-data php "${WEB}/occ" maintenance:install --database pgsql --database-name nextcloud \
      --database-user nextcloud --database-pass "${PC_PARAM_DBPASSWORD}" --admin-user "${PC_PARAM_ADMINUSER}" \
      --admin-pass "${PC_PARAM_ADMINPASSWORD}" --data-dir "${DATA}"
  fi
  sudo -u www-data php "${WEB}/occ" config:system:set trusted_domains 1 --value="${NC_TRUSTED_DOMAIN}"
  pc_log "Nextcloud ${APP_VERSION} configured"
}

update_app() {
  install_app
  sudo -u www-data php "${WEB}/occ" upgrade --no-interaction
  configure_app
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) update_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
