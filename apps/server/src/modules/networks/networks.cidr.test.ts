import { describe, expect, it } from 'vitest';
import {
  defaultDhcpRange,
  defaultGateway,
  intToIpv4,
  ipv4ToInt,
  nextFree,
  overlaps,
  parseCidr4,
  usableRange,
  validIpv6Cidr,
} from './networks.cidr.ts';

const c = (t: string) => parseCidr4(t).cidr!;

describe('CIDR arithmetic', () => {
  it('parses network CIDRs and names what is wrong', () => {
    expect(parseCidr4('10.0.0.0/24').cidr).toEqual({ net: ipv4ToInt('10.0.0.0'), bits: 24 });
    expect(parseCidr4('10.0.0.5/24').problem).toBe('host_bits');
    expect(parseCidr4('10.0.0.256/24').problem).toBe('syntax');
    expect(parseCidr4('10.0.0.0/33').problem).toBe('syntax');
    expect(parseCidr4('10.0.0.0').problem).toBe('syntax');
    expect(parseCidr4('010.0.0.0/8').problem).toBe('syntax');
  });
  it('detects overlap both ways and adjacency as no overlap', () => {
    expect(overlaps(c('10.0.0.0/16'), c('10.0.5.0/24'))).toBe(true);
    expect(overlaps(c('10.0.5.0/24'), c('10.0.0.0/16'))).toBe(true);
    expect(overlaps(c('10.0.0.0/24'), c('10.0.1.0/24'))).toBe(false);
  });
  it('computes the usable range, gateway, DHCP range and the next free address', () => {
    const n = c('192.168.10.0/24');
    const r = usableRange(n);
    expect([intToIpv4(r.first), intToIpv4(r.last), r.count]).toEqual(['192.168.10.1', '192.168.10.254', 254]);
    expect(intToIpv4(defaultGateway(n))).toBe('192.168.10.1');
    const d = defaultDhcpRange(n);
    expect([intToIpv4(d.start), intToIpv4(d.end)]).toEqual(['192.168.10.10', '192.168.10.253']);
    const taken = new Set([ipv4ToInt('192.168.10.1')!, ipv4ToInt('192.168.10.2')!]);
    expect(intToIpv4(nextFree(n, taken)!)).toBe('192.168.10.3');
    expect(usableRange(c('10.0.0.0/31')).count).toBe(2);
    expect(
      nextFree(c('10.0.0.0/30'), new Set([ipv4ToInt('10.0.0.1')!, ipv4ToInt('10.0.0.2')!])),
    ).toBeUndefined();
  });
  it('validates IPv6 prefixes', () => {
    expect(validIpv6Cidr('fd00:1::/64')).toBe(true);
    expect(validIpv6Cidr('2001:db8:0:0:0:0:0:0/48')).toBe(true);
    expect(validIpv6Cidr('fd00::1::/64')).toBe(false);
    expect(validIpv6Cidr('fd00::/200')).toBe(false);
    expect(validIpv6Cidr('zz::/64')).toBe(false);
  });
});
