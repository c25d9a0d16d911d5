#!/usr/bin/env bash
# Run on a Proxmox VE host (as root): create an unprivileged Debian LXC for ProxiCloud, install
# ProxiCloud in it with install.sh, and connect it to this cluster with a least-privilege API
# token (exactly the privileges docs/proxmox.md lists, on a privilege-separated token).
#
#   pve-lxc.sh --tarball proxicloud-X.Y.Z-linux-x64.tar.gz [options]
#
# Idempotent for the PVE side (role and user are updated, the token is rotated); a container ID
# that already exists is refused. Run with --help for the options. See docs/install.md.
set -Eeuo pipefail

CTID=""
CT_HOSTNAME="proxicloud"
ROOTFS_STORAGE="local-lvm"
TEMPLATE_STORAGE="local"
DISK_GIB=8
MEMORY_MIB=1024
CORES=2
BRIDGE="vmbr0"
IP="dhcp"
GATEWAY=""
TARBALL=""
PVE_USER="proxicloud@pve"
TOKEN_NAME=""
ROLE="ProxiCloud"
ACL_PATH="/"
INSTALL_ARGS=()
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR

log() { printf '\033[1m[proxicloud-lxc]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[proxicloud-lxc] error:\033[0m %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: pve-lxc.sh --tarball FILE [options]

Container:
  --ctid N              container ID (default: the cluster's next free ID)
  --hostname NAME       container hostname (default proxicloud)
  --storage ID          storage for the root disk (default local-lvm)
  --template-storage ID storage holding container templates (default local)
  --disk GIB            root disk size (default 8; object data lives here too)
  --memory MIB          memory (default 1024; ProxiCloud idles at ~140 MB)
  --cores N             CPU cores (default 2)
  --bridge BRIDGE       network bridge (default vmbr0)
  --ip CIDR|dhcp        address, e.g. 192.168.1.50/24 (default dhcp)
  --gateway ADDR        gateway for a static address

ProxiCloud:
  --tarball FILE        release tarball to install (npm run release); default: one next to this script
  --token-name NAME     API token name (default: the container's hostname)
  --acl-path PATH       where the token's role applies (default /; narrow it, see docs/proxmox.md)
  --install-arg ARG     pass ARG to install.sh inside the container (repeatable), e.g.
                        --install-arg --tls --install-arg self-signed
  -h, --help            this help
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --ctid) CTID="${2:?}"; shift 2 ;;
    --hostname) CT_HOSTNAME="${2:?}"; shift 2 ;;
    --storage) ROOTFS_STORAGE="${2:?}"; shift 2 ;;
    --template-storage) TEMPLATE_STORAGE="${2:?}"; shift 2 ;;
    --disk) DISK_GIB="${2:?}"; shift 2 ;;
    --memory) MEMORY_MIB="${2:?}"; shift 2 ;;
    --cores) CORES="${2:?}"; shift 2 ;;
    --bridge) BRIDGE="${2:?}"; shift 2 ;;
    --ip) IP="${2:?}"; shift 2 ;;
    --gateway) GATEWAY="${2:?}"; shift 2 ;;
    --tarball) TARBALL="${2:?}"; shift 2 ;;
    --token-name) TOKEN_NAME="${2:?}"; shift 2 ;;
    --acl-path) ACL_PATH="${2:?}"; shift 2 ;;
    --install-arg) INSTALL_ARGS+=("${2:?}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

[[ $EUID -eq 0 ]] || die "run as root on a Proxmox VE node"
for tool in pveversion pct pveum pvesh pveam; do
  command -v "$tool" >/dev/null || die "this is not a Proxmox VE host ($tool is missing)"
done
[[ "$DISK_GIB" =~ ^[0-9]+$ && "$MEMORY_MIB" =~ ^[0-9]+$ && "$CORES" =~ ^[0-9]+$ ]] ||
  die "--disk, --memory and --cores take whole numbers"

if [[ -z "$TARBALL" ]]; then
  TARBALL="$(find "$SCRIPT_DIR" "$SCRIPT_DIR/.." -maxdepth 1 -name 'proxicloud-*.tar.gz' 2>/dev/null | sort | tail -n1)"
fi
[[ -n "$TARBALL" && -f "$TARBALL" ]] || die "no release tarball: pass --tarball FILE (made by npm run release)"
[[ -f "$SCRIPT_DIR/install.sh" ]] || die "install.sh must be next to this script"

PVE_MAJOR="$(pveversion | sed -n 's#^pve-manager/\([0-9]*\)\..*#\1#p')"
[[ -n "$PVE_MAJOR" ]] || die "could not read the Proxmox VE version from pveversion"
# docs/proxmox.md: the privileges of every endpoint ProxiCloud calls (VM.GuestAgent.Audit is PVE 9+).
AGENT_PRIV="VM.GuestAgent.Audit"
(( PVE_MAJOR < 9 )) && AGENT_PRIV="VM.Monitor"
PRIVS="VM.Allocate VM.Clone VM.Config.Disk VM.Config.CDROM VM.Config.CPU VM.Config.Memory VM.Config.Network"
PRIVS+=" VM.Config.HWType VM.Config.Options VM.Config.Cloudinit VM.PowerMgmt VM.Audit VM.Console"
PRIVS+=" VM.Snapshot VM.Snapshot.Rollback VM.Backup $AGENT_PRIV"
PRIVS+=" Datastore.Allocate Datastore.AllocateSpace Datastore.AllocateTemplate Datastore.Audit"
PRIVS+=" Sys.Audit Sys.Modify SDN.Allocate SDN.Audit SDN.Use"

# ---------------------------------------------------------------------------------------------
# Container
[[ -n "$CTID" ]] || CTID="$(pvesh get /cluster/nextid)"
if pct status "$CTID" >/dev/null 2>&1 || qm status "$CTID" >/dev/null 2>&1; then
  die "guest $CTID already exists; choose another --ctid (to upgrade, run install.sh inside the container)"
fi

log "finding a Debian container template"
pveam update >/dev/null 2>&1 || log "warning: pveam update failed; using the cached template list"
TEMPLATE="$(pveam available --section system | awk '{print $2}' | grep -E '^debian-1[23]-standard_' | sort -V | tail -n1)"
[[ -n "$TEMPLATE" ]] || die "no Debian 12/13 template in pveam available"
if ! pveam list "$TEMPLATE_STORAGE" | awk '{print $1}' | grep -q "/$TEMPLATE\$"; then
  log "downloading $TEMPLATE to $TEMPLATE_STORAGE"
  pveam download "$TEMPLATE_STORAGE" "$TEMPLATE" >&2
fi

NET="name=eth0,bridge=$BRIDGE,ip=$IP"
[[ -n "$GATEWAY" ]] && NET+=",gw=$GATEWAY"
log "creating unprivileged container $CTID ($CT_HOSTNAME: $CORES cores, $MEMORY_MIB MiB, $DISK_GIB GiB on $ROOTFS_STORAGE)"
pct create "$CTID" "$TEMPLATE_STORAGE:vztmpl/$TEMPLATE" \
  --hostname "$CT_HOSTNAME" --unprivileged 1 --features nesting=1 \
  --cores "$CORES" --memory "$MEMORY_MIB" --swap 512 \
  --rootfs "$ROOTFS_STORAGE:$DISK_GIB" --net0 "$NET" \
  --onboot 1 --ostype debian --description "ProxiCloud (created by deploy/pve-lxc.sh)" >&2
pct start "$CTID"

log "waiting for the container's network"
for _ in $(seq 1 60); do
  if pct exec "$CTID" -- getent hosts deb.debian.org >/dev/null 2>&1; then break; fi
  sleep 2
done
pct exec "$CTID" -- getent hosts deb.debian.org >/dev/null 2>&1 || die "container $CTID has no working network/DNS"

# ---------------------------------------------------------------------------------------------
# Least-privilege API token
TOKEN_NAME="${TOKEN_NAME:-$CT_HOSTNAME}"
[[ "$TOKEN_NAME" =~ ^[A-Za-z][A-Za-z0-9._-]*$ ]] || die "--token-name must start with a letter (letters, digits, . _ -)"
log "role $ROLE with the privileges docs/proxmox.md lists (PVE $PVE_MAJOR)"
if pveum role list --output-format json | grep -q "\"roleid\":\"$ROLE\""; then
  pveum role modify "$ROLE" --privs "$PRIVS"
else
  pveum role add "$ROLE" --privs "$PRIVS"
fi
if ! pveum user list --output-format json | grep -q "\"userid\":\"$PVE_USER\""; then
  pveum user add "$PVE_USER" --comment "ProxiCloud service account"
fi
pveum acl modify "$ACL_PATH" --users "$PVE_USER" --roles "$ROLE"
if pveum user token list "$PVE_USER" --output-format json | grep -q "\"tokenid\":\"$TOKEN_NAME\""; then
  log "rotating the existing token $PVE_USER!$TOKEN_NAME"
  pveum user token remove "$PVE_USER" "$TOKEN_NAME"
fi
SECRET="$(pveum user token add "$PVE_USER" "$TOKEN_NAME" --privsep 1 --comment "ProxiCloud in CT $CTID" --output-format json |
  sed -n 's/.*"value":"\([^"]*\)".*/\1/p')"
[[ -n "$SECRET" ]] || die "could not create the API token"
# Privilege-separated: the token holds only the ACLs given to it.
pveum acl modify "$ACL_PATH" --tokens "$PVE_USER!$TOKEN_NAME" --roles "$ROLE"

PVE_IP="$(ip -4 -o addr show dev "$BRIDGE" 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1)"
[[ -n "$PVE_IP" ]] || PVE_IP="$(hostname -I | awk '{print $1}')"
CERT=/etc/pve/local/pveproxy-ssl.pem
[[ -f "$CERT" ]] || CERT=/etc/pve/local/pve-ssl.pem
FINGERPRINT="$(openssl x509 -in "$CERT" -noout -fingerprint -sha256 | cut -d= -f2)"

# ---------------------------------------------------------------------------------------------
# Install inside the container. The token goes in a 0600 file, never on a command line.
TOKEN_FILE="$(mktemp)"
trap 'rm -f "$TOKEN_FILE"' EXIT
printf '%s!%s=%s\n' "$PVE_USER" "$TOKEN_NAME" "$SECRET" >"$TOKEN_FILE"
pct exec "$CTID" -- mkdir -p /root/proxicloud-install
pct push "$CTID" "$TARBALL" "/root/proxicloud-install/$(basename "$TARBALL")"
pct push "$CTID" "$SCRIPT_DIR/install.sh" /root/proxicloud-install/install.sh --perms 0755
pct push "$CTID" "$TOKEN_FILE" /root/proxicloud-install/pve-token --perms 0600
log "installing ProxiCloud in container $CTID"
pct exec "$CTID" -- bash /root/proxicloud-install/install.sh \
  --tarball "/root/proxicloud-install/$(basename "$TARBALL")" \
  --proxmox-url "https://$PVE_IP:8006" \
  --proxmox-token-file /root/proxicloud-install/pve-token \
  --proxmox-fingerprint "$FINGERPRINT" \
  "${INSTALL_ARGS[@]}"
pct exec "$CTID" -- rm -f /root/proxicloud-install/pve-token

log "done: container $CTID runs ProxiCloud, connected to https://$PVE_IP:8006 as $PVE_USER!$TOKEN_NAME (privileges: $ROLE on $ACL_PATH)"
