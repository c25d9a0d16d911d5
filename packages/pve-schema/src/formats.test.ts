import { describe, expect, it } from 'vitest';
import { checkNamedFormat, FORMATS, isCalendarEvent, parseSize, splitList } from './formats.ts';
import { anchoredPattern, perlToJs } from './perl-regex.ts';

/** Runs a named format check and returns the PVE error text ('' when valid). */
function check(format: string, value: string): string {
  try {
    checkNamedFormat(format, value);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('named formats: good and bad values with PVE messages', () => {
  const cases: [string, string[], [string, string][]][] = [
    [
      'pve-vmid',
      ['100', '999999999'],
      [
        ['99', 'value does not look like a valid VM ID\n'],
        ['0100', 'value does not look like a valid VM ID\n'],
      ],
    ],
    [
      'pve-node',
      ['pve1', 'pve-demo', 'a'],
      [
        ['pve_1', 'value does not look like a valid node name\n'],
        ['-pve', 'value does not look like a valid node name\n'],
      ],
    ],
    [
      'pve-storage-id',
      ['local', 'local-zfs', 'nfs.backup'],
      [
        ['1local', "storage ID '1local' contains illegal characters\n"],
        ['local-', "storage ID 'local-' contains illegal characters\n"],
      ],
    ],
    [
      'pve-configid',
      ['scsi0', 'before_upgrade', 'snap-1'],
      [
        ['1st', "invalid configuration ID '1st'\n"],
        ['a', "invalid configuration ID 'a'\n"],
      ],
    ],
    ['pve-bridge-id', ['vmbr0', 'vnet_1.10'], [['vm br0', "invalid bridge ID 'vm br0'\n"]]],
    [
      'urlencoded',
      ['ssh-ed25519%20AAAA%20me%40host%0A', "a-b_c.d!e~f*g'h(i)"],
      [
        ['a b', 'invalid urlencoded string: a b\n'],
        ['a+b', 'invalid urlencoded string: a+b\n'],
      ],
    ],
    [
      'ip',
      ['10.0.0.1', '::1', 'fe80::1:2'],
      [
        ['10.0.0.256', 'value does not look like a valid IP address\n'],
        ['1.2.3', 'value does not look like a valid IP address\n'],
      ],
    ],
    ['ipv4', ['192.0.2.1'], [['::1', 'value does not look like a valid IPv4 address\n']]],
    [
      'ipv6',
      ['2001:db8::1', '::ffff:192.0.2.1'],
      [['2001:db8:::1', 'value does not look like a valid IPv6 address\n']],
    ],
    [
      'CIDR',
      ['10.0.0.0/8', '2001:db8::/32'],
      [
        ['10.0.0.0/7', 'value does not look like a valid CIDR network\n'],
        ['10.0.0.0', 'value does not look like a valid CIDR network\n'],
      ],
    ],
    ['CIDRv4', ['192.0.2.0/24'], [['192.0.2.0/33', 'value does not look like a valid IPv4 CIDR network\n']]],
    [
      'mac-addr',
      ['BC:24:11:2A:3B:4C', 'bc:24:11:2a:3b:4c'],
      [
        ['BD:24:11:2A:3B:4C', 'value does not look like a valid unicast MAC address\n'],
        ['BC-24-11-2A-3B-4C', 'value does not look like a valid unicast MAC address\n'],
      ],
    ],
    [
      'email',
      ['ops@example.com', 'first.last+tag@mail.example.org'],
      [['not-an-email', 'value does not look like a valid email address\n']],
    ],
    [
      'dns-name',
      ['web-1', 'a.example.com'],
      [
        ['web_1', 'value does not look like a valid DNS name\n'],
        ['-web', 'value does not look like a valid DNS name\n'],
      ],
    ],
    [
      'disk-size',
      ['32G', '1.5T', '1024'],
      [
        ['10GB', 'value does not look like a valid disk size: 10GB\n'],
        ['+1G', 'value does not look like a valid disk size: +1G\n'],
      ],
    ],
    [
      'pve-volume-id',
      ['local:iso/debian.iso', 'local-zfs:vm-100-disk-0'],
      [
        ['local-lvm', "unable to parse volume ID 'local-lvm'\n"],
        ['1x:foo', "unable to parse volume ID '1x:foo'\n"],
      ],
    ],
    [
      'pve-volume-id-or-qm-path',
      ['none', 'cdrom', '/dev/sdb', 'local:iso/x.iso'],
      [['x', "unable to parse volume ID 'x'\n"]],
    ],
    [
      'pve-lxc-mp-string',
      ['/srv/data', 'local:8'],
      [
        ['/srv/../etc', '/srv/../etc contains illegal character sequences\n'],
        ['../x', '../x contains illegal character sequences\n'],
      ],
    ],
    [
      'pve-calendar-event',
      ['daily', 'sat 02:00', 'mon..fri 21:30', '*/15', '02:00', 'mon,wed *-*-* 03:00', '2025-01-01 00:00'],
      [
        ['every day', "unable to parse calendar event 'every day'\n"],
        ['25:00', "unable to parse calendar event '25:00'\n"],
      ],
    ],
    ['pve-tag', ['web', 'env.prod', 'a+b'], [['bad tag', 'invalid characters in tag\n']]],
    [
      'pve-ipv4-config',
      ['dhcp', 'manual', '10.0.0.5/24'],
      [['10.0.0.5', 'value does not look like a valid ipv4 network configuration\n']],
    ],
    [
      'pve-ipv6-config',
      ['auto', 'dhcp', '2001:db8::5/64'],
      [['2001:db8::5', 'value does not look like a valid ipv6 network configuration\n']],
    ],
    [
      'pve-startup-order',
      ['order=1,up=30', '2', 'down=10'],
      [['first', 'unable to parse startup options\n']],
    ],
    ['pve-iface', ['eth0', 'vmbr0.100'], [['0eth', "invalid network interface name '0eth'\n"]]],
    [
      'pve-fw-addr-spec',
      ['10.0.0.0/8', '10.0.0.1-10.0.0.9', '10.0.0.1,10.0.0.2', '+dc/web', 'myalias'],
      [['10.0.0.300', "invalid address '10.0.0.300'\n"]],
    ],
    [
      'pve-fw-dport-spec',
      ['22', '80:90', '22,443,https'],
      [
        ['70000', "invalid port '70000'\n"],
        ['90:80', "invalid port range '90:80'\n"],
      ],
    ],
    [
      'pve-fw-protocol-spec',
      ['tcp', 'udp', 'icmp', '6'],
      [
        ['tcpx', "unknown protocol 'tcpx'\n"],
        ['300', "invalid protocol '300'\n"],
      ],
    ],
    [
      'pve-vlan-id-or-range',
      ['10', '2-4094'],
      [
        ['1', "invalid VLAN tag '1'\n"],
        ['20-10', "VLAN range must go from lower to higher tag '20-10'\n"],
      ],
    ],
  ];
  for (const [format, good, bad] of cases) {
    it(format, () => {
      for (const g of good) expect(check(format, g), `${format} ${g}`).toBe('');
      for (const [b, msg] of bad) expect(check(format, b), `${format} ${b}`).toBe(msg);
    });
  }

  it('applies -list and -opt suffixes like check_format', () => {
    expect(check('pve-vmid-list', '100,101;102 103')).toBe('');
    expect(check('pve-vmid-list', '100,abc')).toBe('value does not look like a valid VM ID\n');
    expect(check('pve-configid-list', '')).toBe('');
    expect(check('email-opt', '')).toBe('');
    expect(check('email-opt', 'x')).toBe('value does not look like a valid email address\n');
    expect(check('pve-tag-list', 'a;b c')).toBe('');
  });

  it('accepts unknown formats (recorded for the listing test)', () => {
    expect(check('pve-some-future-format', 'anything')).toBe('');
  });

  it('covers every format name it claims', () => {
    expect(Object.keys(FORMATS).length).toBeGreaterThan(60);
  });
});

describe('helpers', () => {
  it('split_list splits on , ; and whitespace', () => {
    expect(splitList(' a, b;c  d ')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitList('a\0b c')).toEqual(['a', 'b c']);
  });
  it('parse_size', () => {
    expect(parseSize('1K')).toBe(1024);
    expect(parseSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('1g')).toBeUndefined();
  });
  it('calendar events', () => {
    expect(isCalendarEvent('hourly')).toBe(true);
    expect(isCalendarEvent('sun 01:00')).toBe(true);
    expect(isCalendarEvent('')).toBe(false);
  });
});

describe('Perl patterns', () => {
  it('converts (?^flags:…) groups and {,n}', () => {
    expect(perlToJs('(?^i:[a-z]+)')).toEqual({ source: '(?:[a-z]+)', flags: 'i' });
    expect(perlToJs('[A-Za-z0-9\\-_\\s]{,16}').source).toBe('[A-Za-z0-9\\-_\\s]{0,16}');
    expect(perlToJs('a\\@b').source).toBe('a@b');
  });
  it('anchors as m/^PATTERN$/ with Perl end-of-line semantics', () => {
    const product = anchoredPattern('[A-Za-z0-9\\-_\\s]{,16}');
    expect(product.test('QEMU HARDDISK')).toBe(true);
    expect(product.test('x'.repeat(17))).toBe(false);
    expect(anchoredPattern('(?^i:[a-z0-9_][a-z0-9_\\-\\+\\.]*)').test('Web-1')).toBe(true);
    // Perl's $ also matches before a final newline
    expect(anchoredPattern('[a-z]+').test('abc\n')).toBe(true);
    expect(anchoredPattern('[a-z]+').test('abc\nd')).toBe(false);
    // no group around the pattern: alternation binds to the anchors like in Perl
    const remove = anchoredPattern('(?:(?:(?:acl|properties|entry);)*(?:acl|properties|entry))|none');
    expect(remove.test('acl;entry')).toBe(true);
    expect(remove.test('xnone')).toBe(true);
    expect(remove.test('xyz')).toBe(false);
  });
});
