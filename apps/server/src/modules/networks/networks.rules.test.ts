import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.ts';
import { checkRule, compileRules, findCycle, type RuleInput } from './networks.rules.ts';

const bad = (r: RuleInput) => {
  try {
    checkRule(r, 0);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).message;
  }
  return 'accepted';
};

describe('security-group rules', () => {
  it('refuses ports out of range, ports on icmp, ranges backwards, both or neither peer', () => {
    const base = { direction: 'inbound', protocol: 'tcp', cidr: '0.0.0.0/0' } as const;
    expect(bad({ ...base, fromPort: 0 })).toMatch(/1 to 65535/);
    expect(bad({ ...base, fromPort: 70000 })).toMatch(/1 to 65535/);
    expect(bad({ ...base, protocol: 'icmp', fromPort: 22 })).toMatch(/no ports/);
    expect(bad({ ...base, fromPort: 90, toPort: 80 })).toMatch(/below/);
    expect(bad({ ...base, toPort: 80 })).toMatch(/needs fromPort/);
    expect(bad({ direction: 'inbound', protocol: 'tcp' })).toMatch(/needs a cidr/);
    expect(bad({ ...base, sourceSecurityGroupId: 'sg-1' })).toMatch(/not both/);
    expect(bad({ ...base, cidr: '10.0.0.1/24' })).toMatch(/host bits/);
    expect(bad({ ...base, cidr: '10.0.0/24' })).toMatch(/not an IPv4 CIDR/);
    expect(bad({ ...base, fromPort: 22 })).toBe('accepted');
    expect(bad({ ...base, cidr: 'fd00::/64' })).toBe('accepted');
  });

  it('finds reference loops, including a group naming itself', () => {
    expect(findCycle('a', new Map([['a', ['a']]]))).toEqual(['a', 'a']);
    expect(
      findCycle(
        'a',
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCycle(
        'a',
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeNull();
  });

  it('compiles to PVE rules: ports, ranges, anywhere, group peers as member IP sets', () => {
    const out = compileRules(
      [
        { id: 'r1', direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '192.168.1.0/24' },
        { id: 'r2', direction: 'inbound', protocol: 'tcp', fromPort: 8000, toPort: 8100, cidr: '0.0.0.0/0' },
        { id: 'r3', direction: 'inbound', protocol: 'all', sourceSecurityGroupId: 'sg-b' },
        { id: 'r4', direction: 'outbound', protocol: 'icmp', cidr: '10.0.0.0/8' },
      ],
      (id) => (id === 'sg-b' ? 'sgbbbb' : 'x'),
    );
    expect(out).toEqual([
      {
        type: 'in',
        action: 'ACCEPT',
        enable: 1,
        comment: 'proxicloud:r1',
        proto: 'tcp',
        dport: '22',
        source: '192.168.1.0/24',
      },
      { type: 'in', action: 'ACCEPT', enable: 1, comment: 'proxicloud:r2', proto: 'tcp', dport: '8000:8100' },
      { type: 'in', action: 'ACCEPT', enable: 1, comment: 'proxicloud:r3', source: '+dc/sgbbbb-m' },
      {
        type: 'out',
        action: 'ACCEPT',
        enable: 1,
        comment: 'proxicloud:r4',
        proto: 'icmp',
        dest: '10.0.0.0/8',
      },
    ]);
  });
});
