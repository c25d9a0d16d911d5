/**
 * The built-in catalog: every template passes the published schema and the rules, every script
 * passes shellcheck, and nothing is fetched without a pin. Custom-template checks with line numbers.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILTIN_IDS, BUILTIN_VM_IDS, builtinDir, loadBuiltins, readBuiltin } from './apps.builtin.ts';
import type { AppTemplate } from './apps.template.ts';
import { checkTemplate, checkTemplateText, shellcheckAvailable, unpinnedFetches } from './apps.validate.ts';

const catalog = loadBuiltins({ shellcheck: true });
const containers = () => [...catalog.templates.values()].filter((t) => t.base.type === 'lxc');
const vms = () => [...catalog.templates.values()].filter((t) => t.base.type === 'vm');

describe('built-in app templates', () => {
  it('has the 12 favourites and a VM app, each valid against the schema, rules and shellcheck', () => {
    expect(Object.fromEntries(catalog.problems)).toEqual({});
    expect([...catalog.templates.keys()].sort()).toEqual([...BUILTIN_IDS].sort());
    for (const t of catalog.templates.values()) {
      expect(catalog.logos.get(t.id), `${t.id} logo`).toMatch(/^<svg /);
      if (BUILTIN_VM_IDS.includes(t.id)) {
        expect(t.base.type, t.id).toBe('vm');
        expect(t.setup.userData, t.id).toMatch(/^#cloud-config\n/);
      } else expect(t.setup.script, t.id).toBeTruthy();
    }
    expect(vms().length).toBeGreaterThanOrEqual(1);
  });

  it('VM user-data is valid cloud-config whose packages are all pinned [name, version]', () => {
    for (const t of vms()) {
      const doc = parse(t.setup.userData!) as { packages?: unknown[]; runcmd?: unknown[] };
      expect(doc.packages?.length, t.id).toBeGreaterThan(0);
      for (const p of doc.packages ?? []) {
        expect(Array.isArray(p), `${t.id}: ${JSON.stringify(p)}`).toBe(true);
        expect((p as string[])[1], `${t.id}: ${JSON.stringify(p)}`).toMatch(/^\d[\w.+:~-]*$/);
      }
      expect(t.downloads, t.id).toEqual([]);
      // the template's version is the version of the package that makes the app
      expect(JSON.stringify(doc.packages)).toContain(`"${t.version}`);
    }
  });

  it('container features are declared where a template needs them (authentik runs Docker: nesting)', () => {
    expect(catalog.templates.get('authentik')!.base.features).toEqual({ nesting: true });
  });

  it('shellcheck is installed here and every script (and lib.sh) passes it', () => {
    expect(shellcheckAvailable()).toBe(true);
    const dir = builtinDir();
    const lxc = BUILTIN_IDS.filter((id) => !BUILTIN_VM_IDS.includes(id));
    for (const f of [...lxc.map((id) => `${id}.sh`), 'lib.sh']) {
      const r = spawnSync('shellcheck', ['-s', 'bash', '-S', 'warning', `${dir}${f}`], { encoding: 'utf8' });
      expect(`${f}: ${r.stdout}`).toBe(`${f}: `);
    }
  });

  it('every script is idempotent-shaped: set -euo pipefail, phases install|configure|update', () => {
    for (const t of containers()) {
      const s = t.setup.script!;
      expect(s, t.id).toMatch(/^set -euo pipefail$/m);
      for (const phase of ['install)', 'configure)', 'update)']) expect(s, t.id).toContain(phase);
      expect(s, t.id).toContain('source /root/.proxicloud/app/lib.sh');
    }
  });

  it('every download is pinned: https URL, exact version, and only fetched through pc_fetch', () => {
    for (const t of containers()) {
      for (const d of t.downloads) {
        expect(d.url, t.id).toMatch(/^https:\/\//);
        expect(d.version, t.id).toMatch(/\d/);
        // the URL names the version it pins (no "latest" links)
        if (!/key|gpgkey/.test(d.name)) expect(d.url, `${t.id} ${d.name}`).toContain(d.version);
        expect(d.url, t.id).not.toMatch(/latest/);
      }
      expect(
        unpinnedFetches(
          t.setup.script!,
          t.downloads.map((d) => d.name),
        ),
        t.id,
      ).toEqual([]);
      // the script fetches every declared download (none is declared for show)
      for (const d of t.downloads)
        expect(t.setup.script, `${t.id} fetches ${d.name}`).toContain(`pc_fetch ${d.name}`);
    }
  });

  it('pc_fetch refuses a download without its SHA-256 and one whose checksum differs', () => {
    const lib = readFileSync(`${builtinDir()}lib.sh`, 'utf8');
    expect(lib).toContain('sha256sum -c');
    expect(lib).toMatch(/is not pinned/);
  });
});

describe('template checks', () => {
  const base = readBuiltin(builtinDir(), 'netdata') as AppTemplate;

  it('refuses unpinned fetches in scripts', () => {
    const script =
      '#!/bin/bash\nset -euo pipefail\ncurl -o /tmp/x https://example.com/x\npip install flask\nnpm install -g left-pad\npc_fetch nope /tmp/y\n';
    const lines = unpinnedFetches(script, []).map((p) => p.line);
    expect(lines).toEqual([3, 4, 5, 6]);
    expect(unpinnedFetches('pip install flask==3.0.0\nnpm install -g node-red@4.0.8\n', [])).toEqual([]);
  });

  it('custom templates need a SHA-256 per download and a data: logo', () => {
    const t = {
      ...base,
      id: 'my-app',
      downloads: [{ name: 'x', url: 'https://example.com/x-1.0.tgz', version: '1.0', sha256: null }],
    };
    const res = checkTemplate(t, { shellcheck: false });
    expect(res.template).toBeNull();
    expect(res.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/logo', '/downloads/0/sha256']));
  });

  it('features only for containers; VM user-data must not carry secrets, free text or unknown names', () => {
    const vm = readBuiltin(builtinDir(), 'prometheus') as AppTemplate;
    const ok = checkTemplate(vm, { builtin: true, shellcheck: false });
    expect(ok.problems).toEqual([]);
    const bad = {
      ...vm,
      base: { ...vm.base, features: { nesting: true } },
      parameters: [
        ...vm.parameters,
        { key: 'pw', label: 'Password', type: 'secret', generate: true },
        { key: 'motd', label: 'Message', type: 'string', default: 'hi' },
      ],
      setup: {
        userData:
          '#cloud-config\nruncmd:\n  - echo {{pw}}\n  - echo {{motd}} {{ip}}\n  - curl https://x.example/y\n',
      },
    };
    const res = checkTemplate(bad, { builtin: true, shellcheck: false });
    expect(res.template).toBeNull();
    expect(res.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/base/features' }),
        expect.objectContaining({
          path: '/setup/userData',
          line: 3,
          message: expect.stringContaining('secret'),
        }),
        expect.objectContaining({
          path: '/setup/userData',
          line: 4,
          message: expect.stringContaining('free text'),
        }),
        expect.objectContaining({
          path: '/setup/userData',
          line: 4,
          message: expect.stringContaining('{{ip}}'),
        }),
        expect.objectContaining({
          path: '/setup/userData',
          line: 5,
          message: expect.stringContaining('pc_fetch'),
        }),
      ]),
    );
    const unknownFeature = checkTemplate(
      {
        ...(readBuiltin(builtinDir(), 'netdata') as AppTemplate),
        base: { type: 'lxc', image: 'debian-12', features: { mknod: true } },
      },
      { builtin: true, shellcheck: false },
    );
    expect(unknownFeature.problems.map((p) => p.path)).toContain('/base/features/mknod');
  });

  it('reports YAML problems with their line', () => {
    const yaml = [
      'formatVersion: 1',
      'id: my-app',
      'name: Mine',
      'description: d',
      'category: toys',
      'version: "1"',
    ].join('\n');
    const res = checkTemplateText(yaml);
    expect(res.template).toBeNull();
    const cat = res.problems.find((p) => p.path === '/category');
    expect(cat?.line).toBe(5);
  });

  it('maps script findings to the line of the YAML document', () => {
    const yaml = readFileSync(`${builtinDir()}netdata.yaml`, 'utf8')
      .replace(
        'setup: {}',
        'setup:\n  script: |\n    #!/bin/bash\n    set -euo pipefail\n    wget https://example.com/x\n',
      )
      .replace('logo: netdata.svg', 'logo: data:image/svg+xml;base64,PHN2Zy8+');
    const res = checkTemplateText(yaml, { shellcheck: false });
    const line = yaml.split('\n').findIndex((l) => l.includes('wget')) + 1;
    expect(res.problems).toEqual([expect.objectContaining({ path: '/setup/script', line })]);
  });
});
