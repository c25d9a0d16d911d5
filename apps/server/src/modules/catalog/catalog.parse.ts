/**
 * What an image file name says about its contents: OS, version, source, architecture, and the
 * usual login user of cloud images. Pure functions (unit tested); unknown names still get an
 * entry (os "unknown", source "custom").
 */

export type ImageKind = 'lxc-template' | 'cloud-image' | 'iso';

export interface ImageInfo {
  os: string;
  version: string | null;
  /** Where such files come from: proxmox (pveam), turnkey, debian-cloud, ubuntu-cloud, … or custom. */
  source: string;
  arch: string | null;
  variant: string | null;
  /** Login user cloud-init creates by default for this image family (used when no user is given). */
  defaultUser: string;
}

const UBUNTU_CODENAMES: Record<string, string> = {
  bionic: '18.04',
  focal: '20.04',
  jammy: '22.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
};
const DEBIAN_CODENAMES: Record<string, string> = {
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
};

const ARCH = /(?:^|[-_.])(amd64|x86_64|arm64|aarch64|i386)(?:[-_.]|$)/i;

function archOf(name: string): string | null {
  const m = ARCH.exec(name);
  if (!m) return null;
  const a = m[1]!.toLowerCase();
  return a === 'x86_64' ? 'amd64' : a === 'aarch64' ? 'arm64' : a;
}

const DEFAULT_USERS: Record<string, string> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  fedora: 'fedora',
  rocky: 'rocky',
  almalinux: 'almalinux',
  centos: 'cloud-user',
  alpine: 'alpine',
  opensuse: 'opensuse',
  archlinux: 'arch',
};

function info(
  os: string,
  version: string | null,
  source: string,
  name: string,
  variant: string | null,
): ImageInfo {
  const o = os.toLowerCase();
  return {
    os: o,
    version,
    source,
    arch: archOf(name),
    variant,
    defaultUser: DEFAULT_USERS[o] ?? 'cloud-user',
  };
}

/** `debian-12-standard_12.7-1_amd64.tar.zst`, `alpine-3.20-default_20240908_amd64.tar.xz`, turnkey … */
function parseTemplate(name: string): ImageInfo | null {
  const m =
    /^([a-z][a-z0-9]*)-(\d+(?:\.\d+)*)-([a-z0-9-]+)_([\w.~+-]+?)_(amd64|arm64|i386)\.tar\.(?:zst|xz|gz)$/i.exec(
      name,
    );
  if (!m) return null;
  const [, os, ver, variant, full] = m as unknown as [string, string, string, string, string];
  const version = full.startsWith(ver) ? full.replace(/-\d+$/, '') : ver;
  const source = variant.startsWith('turnkey') ? 'turnkey' : 'proxmox';
  return info(os, version, source, name, variant);
}

/** Cloud images: Debian, Ubuntu (by codename or version), Fedora, Rocky, AlmaLinux, CentOS Stream. */
function parseCloudImage(name: string): ImageInfo | null {
  let m = /^debian-(\d+)-(genericcloud|generic|nocloud)-/i.exec(name);
  if (m) return info('debian', m[1]!, 'debian-cloud', name, m[2]!.toLowerCase());
  m = /^(?:debian-)?([a-z]+)-(?:genericcloud|generic|nocloud)/i.exec(name);
  if (m && DEBIAN_CODENAMES[m[1]!.toLowerCase()])
    return info('debian', DEBIAN_CODENAMES[m[1]!.toLowerCase()]!, 'debian-cloud', name, 'genericcloud');
  m = /^([a-z]+)-server-cloudimg-/i.exec(name);
  if (m && UBUNTU_CODENAMES[m[1]!.toLowerCase()])
    return info('ubuntu', UBUNTU_CODENAMES[m[1]!.toLowerCase()]!, 'ubuntu-cloud', name, 'server');
  m = /^ubuntu-(\d+\.\d+)-server-cloudimg-/i.exec(name);
  if (m) return info('ubuntu', m[1]!, 'ubuntu-cloud', name, 'server');
  m = /^Fedora-Cloud-Base-(?:Generic-)?(\d+)/i.exec(name);
  if (m) return info('fedora', m[1]!, 'fedora-cloud', name, 'cloud-base');
  m = /^Rocky-(\d+(?:\.\d+)?)-GenericCloud/i.exec(name);
  if (m) return info('rocky', m[1]!, 'rocky-cloud', name, 'genericcloud');
  m = /^AlmaLinux-(\d+(?:\.\d+)?)-GenericCloud/i.exec(name);
  if (m) return info('almalinux', m[1]!, 'almalinux-cloud', name, 'genericcloud');
  m = /^CentOS-Stream-GenericCloud-(?:x86_64-)?(\d+)/i.exec(name);
  if (m) return info('centos', m[1]!, 'centos-cloud', name, 'stream');
  return null;
}

/** Installer ISOs: `debian-12.8.0-amd64-netinst.iso`, `ubuntu-24.04.1-live-server-amd64.iso`. */
function parseIso(name: string): ImageInfo | null {
  const m = /^([a-z][a-z]*)-(\d+(?:\.\d+)*)-(.+)\.iso$/i.exec(name);
  if (!m) return null;
  const variant = m[3]!.replace(ARCH, '-').replace(/^-+|-+$/g, '') || null;
  return info(m[1]!, m[2]!, m[1]!.toLowerCase(), name, variant);
}

export function parseImageName(name: string, kind: ImageKind): ImageInfo {
  const parsed =
    kind === 'lxc-template'
      ? parseTemplate(name)
      : kind === 'cloud-image'
        ? parseCloudImage(name)
        : (parseIso(name) ?? parseCloudImage(name));
  return (
    parsed ?? {
      os: 'unknown',
      version: null,
      source: 'custom',
      arch: archOf(name),
      variant: null,
      defaultUser: 'cloud-user',
    }
  );
}

/** PVE storage content type → catalog kind (null: not a launch source). */
export function kindOfContent(content: string, volid: string): ImageKind | null {
  if (content === 'vztmpl') return 'lxc-template';
  if (content === 'import' && /\.(qcow2|img|raw|vmdk)$/i.test(volid)) return 'cloud-image';
  // cloud images are often downloaded into ISO storage (`…-cloudimg-amd64.img`): disk images, not installers
  if (content === 'iso') return /\.(qcow2|img|raw)$/i.test(volid) ? 'cloud-image' : 'iso';
  return null;
}

/**
 * Why a catalog entry cannot be launched, or null. PVE's `import-from` takes only volumes of the
 * `images` or `import` content type: a cloud image in ISO storage is launched by hard-linking it
 * into the same storage's import directory over the SSH host agent, which needs the agent and the
 * `import` content type on that storage.
 */
export function notLaunchableReason(
  content: string,
  kind: ImageKind,
  name: string,
  can: { hostAgent: boolean; importContent: boolean },
): string | null {
  if (kind !== 'cloud-image' || content !== 'iso' || (can.hostAgent && can.importContent)) return null;
  return (
    "Proxmox VE imports disks only from 'import' (or 'images') storage content, not from ISO storage" +
    (can.hostAgent
      ? ': enable the Import content type on this storage (ProxiCloud then links the file there)'
      : ', and without the SSH host agent ProxiCloud cannot link it there') +
    ` — or do it by hand: \`ln /var/lib/vz/template/iso/${name} /var/lib/vz/import/\` on the node`
  );
}

/** `local:import/debian-12-genericcloud-amd64.qcow2` → `debian-12-genericcloud-amd64.qcow2` */
export function fileNameOf(volid: string): string {
  const afterColon = volid.slice(volid.indexOf(':') + 1);
  return afterColon.slice(afterColon.lastIndexOf('/') + 1);
}
