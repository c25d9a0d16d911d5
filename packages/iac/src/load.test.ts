import { describe, expect, it } from 'vitest';
import { IacError, type IacIssue, loadFile, stackNameFromFile } from './index.ts';

function issuesOf(text: string, opts: Parameters<typeof loadFile>[1] = { defaultStack: 't' }): IacIssue[] {
  try {
    loadFile(text, opts);
  } catch (err) {
    if (err instanceof IacError) return err.issues;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

const SEED = `instances:
  - name: web-server
    type: lxc
    template: ubuntu-22.04
    vcpu: 2
    memory: 2048
    volumes:
      - size: 20GB
        mount: /var/www
    networks:
      - production

networks:
  - name: production
    subnet: 10.0.1.0/24
`;

describe('loadFile', () => {
  it('accepts the seed example as written and expands inline volumes and networks', () => {
    const file = loadFile(SEED, { defaultStack: 'infra' });
    expect(file.stack).toBe('infra');
    const addresses = file.resources.map((r) => r.address);
    expect(addresses).toEqual(
      expect.arrayContaining([
        'instances.web-server',
        'networks.production',
        'volumes.web-server-vol-0',
        'attachments.web-server-vol-0',
      ]),
    );
    // networks before the instance, the volume and the instance before the attachment
    const at = (a: string) => addresses.indexOf(a);
    expect(at('networks.production')).toBeLessThan(at('instances.web-server'));
    expect(at('instances.web-server')).toBeLessThan(at('attachments.web-server-vol-0'));
    expect(at('volumes.web-server-vol-0')).toBeLessThan(at('attachments.web-server-vol-0'));
    const vol = file.resources.find((r) => r.address === 'volumes.web-server-vol-0');
    expect(vol?.spec).toEqual({ name: 'web-server-vol-0', size: 20, format: 'filesystem' });
    const att = file.resources.find((r) => r.address === 'attachments.web-server-vol-0');
    expect(att?.spec).toMatchObject({
      volume: '${volumes.web-server-vol-0.id}',
      instance: '${instances.web-server.id}',
      mount: '/var/www',
    });
  });

  it('points YAML syntax errors at line and column', () => {
    const issues = issuesOf('instances:\n  - name: a\n    type: [vm\n');
    expect(issues[0]).toMatchObject({ code: 'yaml' });
    expect(issues[0]?.line).toBeGreaterThanOrEqual(3);
    expect(issues[0]?.column).toBeGreaterThan(0);
  });

  it('points schema errors at the offending value, unknown fields at their key', () => {
    const issues = issuesOf(
      'instances:\n  - name: web\n    type: vm\n    template: debian-12\n    vcpu: many\n    colour: red\n',
    );
    const vcpu = issues.find((i) => i.path === '/instances/0/vcpu');
    expect(vcpu).toMatchObject({ line: 5, column: 11 });
    const colour = issues.find((i) => i.path === '/instances/0/colour');
    expect(colour).toMatchObject({ line: 6, column: 5, message: expect.stringContaining('unknown field') });
  });

  it('points a missing required field at its item, and bad enums list the choices', () => {
    const issues = issuesOf('instances:\n  - name: web\n    type: docker\n');
    expect(issues.find((i) => i.path === '/instances/0/template')).toMatchObject({ line: 2, column: 5 });
    expect(issues.find((i) => i.path === '/instances/0/type')?.message).toContain('vm, lxc');
  });

  it('resolves variables with types, defaults and precedence: default < var file < env < --var', () => {
    const text = `stack: \${var.env}-lab
variables:
  env: {type: string, default: dev}
  cpus: {type: number, default: 1}
  big: {type: bool, default: false}
instances:
  - name: app-\${var.env}
    type: vm
    template: debian-12
    vcpu: \${var.cpus}
    protected: \${var.big}
    tags: {env: "\${var.env}", label: "big-\${var.big}"}
`;
    const a = loadFile(text);
    expect(a.stack).toBe('dev-lab');
    expect(a.resources[0]?.spec).toMatchObject({
      name: 'app-dev',
      vcpu: 1,
      protected: false,
      tags: { env: 'dev', label: 'big-false' },
    });
    const b = loadFile(text, {
      varFile: { env: 'stage', cpus: 2 },
      env: { PROXICLOUD_VAR_cpus: '3' },
      vars: { env: 'prod' },
    });
    expect(b.stack).toBe('prod-lab');
    expect(b.resources[0]?.spec).toMatchObject({ name: 'app-prod', vcpu: 3 });
    expect(b.specHash).not.toBe(a.specHash);
  });

  it('refuses unknown, undeclared, untyped and missing variables', () => {
    const text = 'variables:\n  size: {type: number}\nvolumes:\n  - name: v\n    size: ${var.nope}\n';
    const issues = issuesOf(text, { defaultStack: 't', vars: { other: 'x' } });
    expect(issues.map((i) => i.message).join('\n')).toMatch(/"other".*not declared/);
    expect(issues.find((i) => i.message.includes('"size" has no value'))).toMatchObject({
      line: 2,
      column: 3,
    });
    expect(issues.find((i) => i.message.includes('unknown variable "nope"'))).toMatchObject({
      line: 5,
      column: 11,
    });
    const typed = issuesOf('variables:\n  n: {type: number}\n', { defaultStack: 't', vars: { n: 'ten' } });
    expect(typed[0]?.message).toContain('must be a number');
  });

  it('refuses references to resources the file does not declare, with their place', () => {
    const issues = issuesOf(
      'attachments:\n  - volume: ${volumes.data.id}\n    instance: ${instances.web.id}\n',
    );
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringContaining('volumes.data'),
      expect.stringContaining('instances.web'),
    ]);
    expect(issues[1]).toMatchObject({ line: 3, column: 15 });
  });

  it('refuses a dependency cycle and names it', () => {
    const text = `instances:
  - name: a
    type: vm
    template: debian-12
    dependsOn: [instances.b]
  - name: b
    type: vm
    template: debian-12
    dependsOn: [instances.c]
  - name: c
    type: vm
    template: debian-12
    dependsOn: [instances.a]
`;
    const issues = issuesOf(text);
    expect(issues[0]?.code).toBe('cycle');
    expect(issues[0]?.message).toMatch(/instances\.a → instances\.b → instances\.c → instances\.a/);
  });

  it('refuses duplicate names and bad sizes', () => {
    const issues = issuesOf('volumes:\n  - name: v\n    size: 1\n  - name: v\n    size: 1.5GB\n');
    expect(issues.map((i) => i.message).join('\n')).toMatch(/declared twice/);
    expect(issues.map((i) => i.message).join('\n')).toMatch(/not a whole number of GiB/);
  });

  it('names stacks after files', () => {
    expect(stackNameFromFile('infra/Home_Lab.yaml')).toBe('home-lab');
    expect(() => loadFile('stack: Bad_Name\n')).toThrow(/line 1:8: \/stack: must match pattern/);
  });
});
