import { describe, expect, it } from 'vitest';
import {
  getSchema,
  matchPath,
  normalizeApiPath,
  PARAM_VERIFICATION_FAILED,
  validateRequest,
} from './index.ts';

const NOT_DEFINED = 'property is not defined in schema and the schema does not allow additional properties';
const MISSING = 'property is missing and it is not optional';

function errorsOf(method: string, path: string, params: Record<string, unknown> = {}) {
  const r = validateRequest({ method, path, params: params as never });
  if (r.ok) throw new Error(`expected ${method} ${path} to be rejected`);
  return r;
}
function accept(method: string, path: string, params: Record<string, unknown> = {}) {
  const r = validateRequest({ method, path, params: params as never });
  if (!r.ok) throw new Error(`expected ${method} ${path} to pass: ${JSON.stringify(r.errors)} ${r.message}`);
  return r;
}

describe('vendored schema', () => {
  it('holds every path and method of PVE 9.2 without descriptions', () => {
    const s = getSchema();
    expect(s.source.paths).toBe(449);
    expect(s.source.methods).toBe(675);
    expect(Object.keys(s.paths)).toHaveLength(449);
    const create = s.paths['/nodes/{node}/qemu']?.POST;
    expect(create?.parameters.properties.vmid).toMatchObject({
      type: 'integer',
      format: 'pve-vmid',
      minimum: 100,
    });
    const text = JSON.stringify(s);
    expect(text).not.toContain('The (unique) ID of the VM.');
    expect(text).not.toContain('verbose_description');
  });
});

describe('matchPath', () => {
  it('resolves concrete paths to templates and decoded path params', () => {
    const r = matchPath('GET', '/nodes/pve1/qemu/100/config');
    expect(r.ok && r.route.template).toBe('/nodes/{node}/qemu/{vmid}/config');
    expect(r.ok && r.route.pathParams).toEqual({ node: 'pve1', vmid: '100' });
    const withPrefix = matchPath('get', '/api2/json/cluster/resources/');
    expect(withPrefix.ok && withPrefix.route.template).toBe('/cluster/resources');
  });
  it('prefers literal segments over parameters', () => {
    const r = matchPath('GET', '/nodes/pve1/qemu/100/status/current');
    expect(r.ok && r.route.template).toBe('/nodes/{node}/qemu/{vmid}/status/current');
  });
  it('decodes encoded volume IDs and accepts unencoded slashes in {volume}', () => {
    const enc = matchPath('DELETE', '/nodes/pve1/storage/local/content/local%3Aiso%2Fdebian.iso');
    expect(enc.ok && enc.route.pathParams.volume).toBe('local:iso/debian.iso');
    const raw = matchPath('GET', '/nodes/pve1/storage/local/content/local:iso/debian.iso');
    expect(raw.ok && raw.route.pathParams.volume).toBe('local:iso/debian.iso');
  });
  it('answers 501 with PVE wording for unknown paths and methods', () => {
    expect(matchPath('GET', '/foo')).toEqual({
      ok: false,
      status: 501,
      message: "Method 'GET /foo' not implemented",
      errors: {},
    });
    const r = matchPath('DELETE', '/api2/json/version');
    expect(!r.ok && r.message).toBe("Method 'DELETE /version' not implemented");
    const lxcAgent = matchPath('GET', '/nodes/pve1/lxc/200/agent');
    expect(lxcAgent.ok).toBe(false);
  });
  it('normalizes api paths', () => {
    expect(normalizeApiPath('/api2/json/nodes/?x=1')).toBe('/nodes');
    expect(normalizeApiPath('/api2/json')).toBe('/');
  });
});

describe('validateRequest: generic rules', () => {
  it('rejects unknown parameters', () => {
    const r = errorsOf('GET', '/version', { limit: '1' });
    expect(r.status).toBe(400);
    expect(r.message).toBe(PARAM_VERIFICATION_FAILED);
    expect(r.errors).toEqual({ limit: NOT_DEFINED });
  });
  it('rejects missing required parameters', () => {
    const r = errorsOf('POST', '/nodes/pve1/qemu', {});
    expect(r.errors).toEqual({ vmid: MISSING });
    expect(errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100 }).errors).toEqual({ ostemplate: MISSING });
  });
  it('checks types: integers as strings from forms, booleans as 0/1, JSON booleans accepted', () => {
    accept('POST', '/nodes/pve1/qemu', { vmid: '100', start: '1', cores: '4' });
    accept('POST', '/nodes/pve1/qemu', { vmid: 100, start: true, cores: 4 });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: '100', start: 'true' }).errors).toEqual({
      start: "type check ('boolean') failed - got 'true'",
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: '100', cores: '2.5' }).errors).toEqual({
      cores: "type check ('integer') failed - got '2.5'",
    });
    expect(errorsOf('GET', '/nodes/pve1/qemu/abc/config').errors).toEqual({
      vmid: "type check ('integer') failed - got 'abc'",
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, name: ['a', 1] }).errors.name).toBe(
      "type check ('string') failed - got ARRAY",
    );
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, cpulimit: 'x' }).errors.cpulimit).toBe(
      "type check ('number') failed - got 'x'",
    );
  });
  it('checks minimum, maximum, maxLength and minLength', () => {
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 99 }).errors).toEqual({
      vmid: 'invalid format - value does not look like a valid VM ID\n',
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, cores: 0 }).errors).toEqual({
      cores: 'value must have a minimum value of 1',
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, cpuunits: 262145 }).errors).toEqual({
      cpuunits: 'value must have a maximum value of 262144',
    });
    expect(errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x'.repeat(256) }).errors).toEqual({
      ostemplate: 'value may only be 255 characters long',
    });
    expect(
      errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x', password: 'abc' }).errors,
    ).toEqual({
      password: 'value must be at least 5 characters long',
    });
  });
  it('checks enums with PVE wording', () => {
    expect(errorsOf('GET', '/cluster/resources', { type: 'vms' }).errors).toEqual({
      type: "value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn'",
    });
    accept('GET', '/cluster/resources', { type: 'vm' });
  });
  it('applies Perl patterns anchored like PVE', () => {
    accept('POST', '/cluster/firewall/groups', { group: 'web-servers' });
    expect(errorsOf('POST', '/cluster/firewall/groups', { group: '1web' }).errors).toEqual({
      group: 'value does not match the regex pattern',
    });
    // anchored at both ends
    expect(errorsOf('POST', '/cluster/firewall/groups', { group: 'web;rm' }).errors.group).toBeDefined();
    // SDN zone names: pattern plus 2..8 characters
    accept('POST', '/cluster/sdn/zones', { zone: 'lab1', type: 'simple' });
    expect(errorsOf('POST', '/cluster/sdn/zones', { zone: 'toolongname', type: 'simple' }).errors).toEqual({
      zone: 'value may only be 8 characters long',
    });
    expect(errorsOf('POST', '/cluster/sdn/zones', { zone: 'l-b', type: 'simple' }).errors).toEqual({
      zone: 'value does not match the regex pattern',
    });
  });
  it('merges path parameters and validates them with their formats', () => {
    expect(errorsOf('GET', '/nodes/bad_node!/qemu').errors).toEqual({
      node: 'invalid format - value does not look like a valid node name\n',
    });
    expect(errorsOf('GET', '/nodes/pve1/storage/bad$id/status').errors).toEqual({
      storage: "invalid format - storage ID 'bad$id' contains illegal characters\n",
    });
  });
  it('expands indexed parameters within their PVE ranges', () => {
    accept('POST', '/nodes/pve1/qemu', {
      vmid: 100,
      net0: 'virtio,bridge=vmbr0',
      net31: 'e1000,bridge=vmbr1',
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net32: 'virtio,bridge=vmbr0' }).errors).toEqual({
      net32: NOT_DEFINED,
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, ide4: 'none' }).errors).toEqual({
      ide4: NOT_DEFINED,
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net01: 'virtio' }).errors).toEqual({
      net01: NOT_DEFINED,
    });
    accept('POST', '/nodes/pve1/lxc', {
      vmid: 100,
      ostemplate: 'local:vztmpl/x.tar.zst',
      mp255: 'local:4,mp=/a',
    });
  });
  it('splits NUL-joined repeats into arrays for array parameters', () => {
    accept('POST', '/cluster/sdn/vnets/vnet1/subnets', {
      subnet: '10.0.0.0/24',
      type: 'subnet',
      'dhcp-range': [
        'start-address=10.0.0.10,end-address=10.0.0.20',
        'start-address=10.0.0.30,end-address=10.0.0.40',
      ],
    });
  });
});

describe('validateRequest: property strings', () => {
  it('parses default keys, aliases and keyAlias (net0 model=mac)', () => {
    accept('POST', '/nodes/pve1/qemu', {
      vmid: 100,
      net0: 'virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1,tag=20',
    });
    accept('POST', '/nodes/pve1/qemu', {
      vmid: 100,
      net0: 'model=virtio,macaddr=BC:24:11:2A:3B:4C,bridge=vmbr0',
    });
    expect(
      errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'model=e1000,virtio=BC:24:11:2A:3B:4C' }).errors
        .net0,
    ).toBe("invalid format - key alias 'model' is already defined\n");
    expect(
      errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'virtio=BC:24:11:2A:3B:4C,model=e1000' }).errors
        .net0,
    ).toBe('invalid format - duplicate key in comma-separated list property: model\n');
  });
  it('reports sub-key errors as PVE does (format error + path.key lines)', () => {
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, boot: 'scsi0' }).errors).toEqual({
      boot: 'invalid format - format error\nboot.legacy: value does not match the regex pattern\n',
    });
    expect(
      errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'virtio,bridge=vmbr0,fwgroup=x' }).errors,
    ).toEqual({ net0: `invalid format - format error\nnet0.fwgroup: ${NOT_DEFINED}\n` });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, scsi0: 'local-lvm' }).errors).toEqual({
      scsi0:
        "invalid format - format error\nscsi0.file: invalid format - unable to parse volume ID 'local-lvm'\n\n",
    });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'virtio,tag=5000' }).errors.net0).toBe(
      'invalid format - format error\nnet0.tag: value must have a maximum value of 4094\n',
    );
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'rtl1,bridge=vmbr0' }).errors.net0).toBe(
      "invalid format - format error\nnet0.model: value 'rtl1' does not have a value in the enumeration 'e1000, e1000-82540em, e1000-82544gc, e1000-82545em, e1000e, i82551, i82557b, i82559er, ne2k_isa, ne2k_pci, pcnet, rtl8139, virtio, vmxnet3'\n",
    );
  });
  it('rejects malformed property strings', () => {
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'virtio,bridge=' }).errors.net0).toBe(
      'invalid format - missing key in comma-separated list property\n',
    );
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'virtio,e1000' }).errors.net0).toBe(
      'invalid format - duplicate key in comma-separated list property: model\n',
    );
    expect(
      errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'bridge=vmbr0,bridge=vmbr1' }).errors.net0,
    ).toBe('invalid format - duplicate key in comma-separated list property: bridge\n');
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, net0: 'bridge=vmbr0' }).errors.net0).toBe(
      `invalid format - format error\nnet0.model: ${MISSING}\n`,
    );
    expect(
      errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x', features: 'nesting' }).errors
        .features,
    ).toBe('invalid format - value without key, but schema does not define a default key\n');
  });
  it('accepts boolean words in property strings (parse_boolean) but not in plain booleans', () => {
    accept('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x', features: 'nesting=yes,keyctl=on' });
    expect(
      errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x', features: 'nesting=maybe' }).errors
        .features,
    ).toBe("invalid format - format error\nfeatures.nesting: type check ('boolean') failed - got 'maybe'\n");
  });
  it('validates memory as a property string with default key current', () => {
    accept('POST', '/nodes/pve1/qemu', { vmid: 100, memory: '2048' });
    accept('POST', '/nodes/pve1/qemu', { vmid: 100, memory: 'current=4096' });
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, memory: '8' }).errors.memory).toBe(
      'invalid format - format error\nmemory.current: value must have a minimum value of 16\n',
    );
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, memory: '2G' }).errors.memory).toBe(
      "invalid format - format error\nmemory.current: type check ('integer') failed - got '2G'\n",
    );
  });
  it('validates named property-string formats (ipconfig, cpu, prune-backups, cdrom)', () => {
    accept('POST', '/nodes/pve1/qemu', {
      vmid: 100,
      ipconfig0: 'ip=dhcp',
      ipconfig1: 'ip=10.1.2.3/24,gw=10.1.2.1',
    });
    accept('POST', '/nodes/pve1/qemu', { vmid: 100, ipconfig0: 'ip6=auto' });
    expect(
      errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, ipconfig0: 'ip=10.1.2.3' }).errors.ipconfig0,
    ).toBe(
      'invalid format - format error\nipconfig0.ip: invalid format - value does not look like a valid ipv4 network configuration\n\n',
    );
    expect(
      errorsOf('POST', '/nodes/pve1/qemu', { vmid: 100, ipconfig0: 'ip=dhcp,gw=nope' }).errors.ipconfig0,
    ).toBe(
      'invalid format - format error\nipconfig0.gw: invalid format - value does not look like a valid IPv4 address\n\n',
    );
    accept('POST', '/nodes/pve1/qemu', { vmid: 100, cpu: 'x86-64-v2-AES,flags=+aes;-pcid' });
    accept('POST', '/nodes/pve1/qemu', { vmid: 100, cdrom: 'local:iso/debian-12.iso,media=cdrom' });
    accept('POST', '/cluster/backup', {
      'prune-backups': 'keep-last=3,keep-daily=7',
      schedule: 'daily',
      all: 1,
    });
    expect(errorsOf('POST', '/cluster/backup', { 'prune-backups': 'keep-last=0', all: 1 }).errors).toEqual({
      'prune-backups':
        'invalid format - format error\nprune-backups.keep-last: value must have a minimum value of 1\n',
    });
  });
  it('validates lxc rootfs, mount points and net', () => {
    accept('POST', '/nodes/pve1/lxc', {
      vmid: 100,
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      rootfs: 'local-zfs:8',
      mp0: 'tank:32,mp=/srv/data,backup=1',
      net0: 'name=eth0,bridge=vmbr0,ip=10.0.0.9/24,gw=10.0.0.1,firewall=1',
    });
    expect(
      errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x', mp0: 'local:4,mp=/srv/../etc' })
        .errors.mp0,
    ).toBe(
      'invalid format - format error\nmp0.mp: invalid format - /srv/../etc contains illegal character sequences\n\n',
    );
    expect(
      errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x', net0: 'bridge=vmbr0,ip=dhcp' }).errors
        .net0,
    ).toBe(`invalid format - format error\nnet0.name: ${MISSING}\n`);
    expect(
      errorsOf('POST', '/nodes/pve1/lxc', { vmid: 100, ostemplate: 'x', net0: 'name=eth0,ip=10.0.0.9' })
        .errors.net0,
    ).toBe(
      'invalid format - format error\nnet0.ip: invalid format - value does not look like a valid ipv4 network configuration\n\n',
    );
  });
});

describe('realistic create calls', () => {
  it('accepts a qemu create as a cloud-init client sends it (form values as strings)', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3x user@host';
    const r = accept('POST', '/api2/json/nodes/pve1/qemu', {
      vmid: '101',
      name: 'web-1',
      memory: '2048',
      cores: '2',
      sockets: '1',
      cpu: 'host',
      ostype: 'l26',
      scsihw: 'virtio-scsi-single',
      scsi0:
        'local-zfs:0,import-from=local:iso/debian-12-genericcloud-amd64.qcow2,discard=on,ssd=1,iothread=1',
      ide2: 'local-zfs:cloudinit',
      boot: 'order=scsi0',
      serial0: 'socket',
      vga: 'serial0',
      agent: 'enabled=1,fstrim_cloned_disks=1',
      net0: 'virtio,bridge=vmbr0,firewall=1',
      ipconfig0: 'ip=dhcp',
      ciuser: 'debian',
      sshkeys: encodeURIComponent(key),
      tags: 'proxicloud;web',
      onboot: '1',
      start: '0',
    });
    expect(r.route.template).toBe('/nodes/{node}/qemu');
    expect(r.params.node).toBe('pve1');
  });
  it('rejects a raw (not urlencoded) ssh key as PVE does', () => {
    const key = 'ssh-ed25519 AAAAC3Nza user@host';
    expect(errorsOf('POST', '/nodes/pve1/qemu', { vmid: 101, sshkeys: key }).errors).toEqual({
      sshkeys: `invalid format - invalid urlencoded string: ${key}\n`,
    });
    // URLSearchParams-style '+' for spaces is not valid urlencoded text either
    expect(
      errorsOf('POST', '/nodes/pve1/qemu', { vmid: 101, sshkeys: 'ssh-ed25519+AAAA' }).errors.sshkeys,
    ).toContain('invalid urlencoded string');
  });
  it('accepts an lxc create as a client sends it (JSON body)', () => {
    accept('POST', '/nodes/pve1/lxc', {
      vmid: 200,
      hostname: 'ct-200',
      ostemplate: 'local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
      storage: 'local-zfs',
      rootfs: 'local-zfs:8',
      memory: 1024,
      swap: 512,
      cores: 2,
      net0: 'name=eth0,bridge=vmbr0,ip=dhcp,ip6=auto',
      unprivileged: 1,
      features: 'nesting=1',
      'ssh-public-keys': 'ssh-ed25519 AAAAC3Nza user@host\nssh-rsa AAAAB3Nz other@host',
      password: 'correct horse',
      nameserver: '1.1.1.1 9.9.9.9',
      start: true,
    });
  });
  it('accepts clone, resize, snapshot, config and status calls', () => {
    accept('POST', '/nodes/pve1/qemu/9000/clone', {
      newid: 101,
      name: 'c1',
      full: 1,
      target: 'pve2',
      storage: 'tank',
    });
    accept('PUT', '/nodes/pve1/qemu/101/resize', { disk: 'scsi0', size: '+10G' });
    expect(errorsOf('PUT', '/nodes/pve1/qemu/101/resize', { disk: 'scsi0', size: '10GB' }).errors.size).toBe(
      'value does not match the regex pattern',
    );
    accept('POST', '/nodes/pve1/qemu/101/snapshot', { snapname: 'before_upgrade', description: 'x' });
    expect(errorsOf('POST', '/nodes/pve1/qemu/101/snapshot', { snapname: '1st' }).errors.snapname).toBe(
      "invalid format - invalid configuration ID '1st'\n",
    );
    accept('POST', '/nodes/pve1/qemu/101/config', {
      memory: '4096',
      delete: 'ipconfig1,net1',
      digest: 'a'.repeat(40),
    });
    accept('PUT', '/nodes/pve1/lxc/200/config', { memory: 2048, delete: 'mp0' });
    accept('POST', '/nodes/pve1/qemu/101/status/shutdown', { forceStop: 1, timeout: 60 });
    accept('GET', '/nodes/pve1/qemu/101/rrddata', { timeframe: 'hour', cf: 'AVERAGE' });
    expect(
      errorsOf('GET', '/nodes/pve1/qemu/101/rrddata', { timeframe: 'minute' }).errors.timeframe,
    ).toContain("value 'minute' does not have a value in the enumeration");
    accept('POST', '/nodes/pve1/storage/local-zfs/content', {
      vmid: 101,
      filename: 'vm-101-disk-2',
      size: '10G',
    });
    accept('GET', '/nodes/pve1/tasks/UPID:pve1:00010D94:001CA6EA:6124E1B9:qmcreate:101:root@pam!ci:/status');
  });
  it('accepts firewall rules and rejects bad addresses and ports', () => {
    accept('POST', '/nodes/pve1/qemu/101/firewall/rules', {
      type: 'in',
      action: 'ACCEPT',
      proto: 'tcp',
      dport: '22,80:90,https',
      source: '10.0.0.0/8',
      enable: 1,
    });
    accept('POST', '/nodes/pve1/qemu/101/firewall/rules', {
      type: 'group',
      action: 'web-servers',
      enable: 1,
    });
    expect(
      errorsOf('POST', '/cluster/firewall/groups/web', { type: 'in', action: 'ACCEPT', source: '10.0.0.300' })
        .errors.source,
    ).toBe("invalid format - invalid address '10.0.0.300'\n");
    expect(
      errorsOf('POST', '/cluster/firewall/groups/web', { type: 'in', action: 'ACCEPT', dport: '70000' })
        .errors.dport,
    ).toBe("invalid format - invalid port '70000'\n");
    expect(
      errorsOf('POST', '/cluster/firewall/groups/web', { type: 'in', action: 'ACCEPT', proto: 'tcpx' }).errors
        .proto,
    ).toBe("invalid format - unknown protocol 'tcpx'\n");
  });
});

describe('formats without a checker', () => {
  it('are accepted permissively; this list documents them (update it when adding checkers)', async () => {
    const { FORMATS, NAMED_PROPERTY_FORMATS } = await import('./formats.ts');
    const all = new Set<string>();
    const visit = (p: unknown): void => {
      const s = p as Record<string, unknown> | undefined;
      if (!s || typeof s !== 'object') return;
      if (typeof s.format === 'string') all.add(s.format);
      else if (s.format) Object.values(s.format).forEach(visit);
      if (s.items) visit(s.items);
      for (const alt of (s.oneOf as unknown[] | undefined) ?? []) visit(alt);
      if (s.properties) Object.values(s.properties).forEach(visit);
    };
    for (const methods of Object.values(getSchema().paths))
      for (const m of Object.values(methods)) Object.values(m!.parameters.properties).forEach(visit);
    const known = (f: string) =>
      f in FORMATS || f in NAMED_PROPERTY_FORMATS || f.replace(/-(a?list|opt)$/, '') in FORMATS;
    const unchecked = [...all].filter((f) => !known(f)).sort();
    expect(unchecked).toEqual([
      'graphite-path',
      'pem-certificate-chain',
      'pem-string',
      'proxmox-remote',
      'pve-acme-alias',
      'pve-acme-domain',
      'pve-acme-domain-list',
      'pve-command-batch',
      'pve-dir-override-list',
      'pve-lxc-dev-string',
      'pve-qemu-sev-fmt',
      'pve-qemu-tdx-fmt',
      'pve-qm-hostpci',
      'pve-sdn-fabric-wireguard-interface',
      'pve-sdn-isis-net',
      'pve-sdn-prefix-list-id',
      'pve-sdn-route-map-id',
      'pve-storage-options',
      'pve-storage-path-in-property-string',
      'pve-tfa-config',
      'realm-sync-options',
    ]);
    // none of them appears in the endpoints ProxiCloud uses
    const used = [
      '/nodes/{node}/qemu',
      '/nodes/{node}/lxc',
      '/nodes/{node}/qemu/{vmid}/config',
      '/nodes/{node}/lxc/{vmid}/config',
      '/cluster/backup',
      '/cluster/firewall/groups/{group}',
      '/cluster/sdn/zones',
      '/cluster/sdn/vnets',
      '/cluster/sdn/vnets/{vnet}/subnets',
    ];
    const usedFormats = new Set<string>();
    const collect = (p: unknown): void => {
      const s = p as Record<string, unknown> | undefined;
      if (!s || typeof s !== 'object') return;
      if (typeof s.format === 'string') usedFormats.add(s.format);
      else if (s.format) Object.values(s.format).forEach(collect);
      if (s.items) collect(s.items);
    };
    for (const p of used)
      for (const m of Object.values(getSchema().paths[p] ?? {}))
        Object.values(m!.parameters.properties).forEach(collect);
    expect(
      [...usedFormats].filter(
        (f) =>
          unchecked.includes(f) &&
          f !== 'pve-qm-hostpci' &&
          f !== 'pve-lxc-dev-string' &&
          !f.startsWith('pve-qemu-'),
      ),
    ).toEqual([]);
  });
});
