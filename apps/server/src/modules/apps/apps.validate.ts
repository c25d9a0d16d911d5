/**
 * Checking an app template: YAML/JSON parsing with line numbers, the JSON Schema (apps.template.ts),
 * the rules a schema cannot say (setup kind per base type, parameter defaults, pinned downloads,
 * no unpinned fetches in the script) and shellcheck. Every problem is `{path, line?, message}`.
 */
import { spawnSync } from 'node:child_process';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { type AppTemplate, AppTemplateSchema } from './apps.template.ts';

export interface TemplateProblem {
  path: string;
  line?: number;
  message: string;
}

const compiled = TypeCompiler.Compile(AppTemplateSchema);

/** Lines of the script that fetch something without a pin (use pc_fetch with a declared download). */
export function unpinnedFetches(script: string, downloads: readonly string[]): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const names = new Set(downloads);
  script.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const at = { path: '/setup/script', line: i + 1 };
    if (/(^|[\s;|&(])(curl|wget)\s/.test(line))
      out.push({ ...at, message: 'downloads must go through pc_fetch <download> (pinned URL + SHA-256)' });
    if (/(^|[\s;|&(])git\s+clone\s/.test(line) && !/--branch\s+\S*\d/.test(line))
      out.push({ ...at, message: 'git clone must name a version tag (--branch vX.Y.Z)' });
    const pip = /(^|[\s;|&(])pip3?\s+install\s+(.*)$/.exec(line);
    if (
      pip?.[2]?.split(/\s+/).some((a) => a && !a.startsWith('-') && !a.startsWith('"$') && !a.includes('=='))
    )
      out.push({ ...at, message: 'pip install needs exact versions (name==X.Y.Z)' });
    const npm = /(^|[\s;|&(])npm\s+(?:install|i)\s+(.*)$/.exec(line);
    if (npm?.[2]?.split(/\s+/).some((a) => a && !a.startsWith('-') && !/@\d|@"?\$/.test(a.slice(1))))
      out.push({ ...at, message: 'npm install needs exact versions (name@X.Y.Z)' });
    for (const m of line.matchAll(/pc_fetch\s+([a-z][a-z0-9_]*)/g))
      if (!names.has(m[1]!)) out.push({ ...at, message: `pc_fetch names an undeclared download '${m[1]}'` });
  });
  return out;
}

let shellcheckPath: string | null | undefined;
export function shellcheckAvailable(): boolean {
  if (shellcheckPath === undefined) {
    const r = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    shellcheckPath = r.status === 0 ? 'shellcheck' : null;
  }
  return shellcheckPath !== null;
}

/** shellcheck findings (warning and above) of a bash script; [] when shellcheck is not installed. */
export function shellcheck(script: string, path = '/setup/script', lineOffset = 0): TemplateProblem[] {
  if (!shellcheckAvailable()) return [];
  const r = spawnSync('shellcheck', ['-s', 'bash', '-S', 'warning', '-f', 'json', '-'], {
    input: script,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status === 0) return [];
  try {
    const items = JSON.parse(r.stdout) as { line: number; code: number; message: string }[];
    return items.map((i) => ({ path, line: i.line + lineOffset, message: `SC${i.code}: ${i.message}` }));
  } catch {
    return [{ path, message: `shellcheck failed: ${(r.stderr || r.stdout).slice(0, 200)}` }];
  }
}

/** Semantic rules beyond the JSON Schema. `builtin` allows downloads awaiting their pin. */
export function templateRules(t: AppTemplate, opts: { builtin?: boolean } = {}): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  if (t.base.type === 'lxc' && !t.setup.script)
    out.push({ path: '/setup/script', message: 'an LXC template needs setup.script' });
  if (t.base.type === 'vm' && !t.setup.userData)
    out.push({ path: '/setup/userData', message: 'a VM template needs setup.userData (cloud-init)' });
  if (t.base.type === 'vm' && t.base.features)
    out.push({ path: '/base/features', message: 'features apply to containers (base.type lxc) only' });
  if (t.base.type === 'vm' && t.setup.script)
    out.push({
      path: '/setup/script',
      message: 'a VM template sets itself up with setup.userData, not a script',
    });
  if (t.base.type === 'lxc' && t.setup.userData)
    out.push({ path: '/setup/userData', message: 'containers do not run cloud-init: use setup.script' });
  if (t.setup.script && !/^#!\/(usr\/)?bin\/(env )?bash\n/.test(t.setup.script))
    out.push({ path: '/setup/script', line: 1, message: 'the script must start with #!/bin/bash' });
  if (t.setup.script && !/^set -euo pipefail$/m.test(t.setup.script))
    out.push({ path: '/setup/script', message: 'the script must `set -euo pipefail`' });
  if (!opts.builtin && !t.logo.startsWith('data:'))
    out.push({ path: '/logo', message: 'custom templates carry their logo as a data: URI' });
  const keys = new Set<string>();
  t.parameters.forEach((p, i) => {
    const path = `/parameters/${i}`;
    if (keys.has(p.key)) out.push({ path: `${path}/key`, message: `duplicate parameter '${p.key}'` });
    keys.add(p.key);
    if (p.type === 'choice' && !p.choices?.length)
      out.push({ path: `${path}/choices`, message: 'a choice parameter needs choices' });
    if (p.generate && p.type !== 'secret')
      out.push({ path: `${path}/generate`, message: 'generate applies to secret parameters only' });
    if (p.default !== undefined) {
      const problem = paramProblem(p, p.default);
      if (problem) out.push({ path: `${path}/default`, message: problem });
    }
    if (p.type === 'secret' && p.default !== undefined)
      out.push({ path: `${path}/default`, message: 'secret parameters have no default (use generate)' });
  });
  const dl = new Set<string>();
  t.downloads.forEach((d, i) => {
    if (dl.has(d.name)) out.push({ path: `/downloads/${i}/name`, message: `duplicate download '${d.name}'` });
    dl.add(d.name);
    if (d.sha256 === null && !opts.builtin)
      out.push({ path: `/downloads/${i}/sha256`, message: 'every download needs its SHA-256' });
  });
  if (t.setup.script) out.push(...unpinnedFetches(t.setup.script, [...dl]));
  if (t.setup.userData) out.push(...userDataRules(t));
  const refs = `${t.url}\n${t.notes}\n${Object.values(t.environment).join('\n')}`;
  for (const m of refs.matchAll(/\{\{\s*([A-Za-z0-9]+)\s*\}\}/g))
    if (m[1] !== 'ip' && m[1] !== 'name' && !keys.has(m[1]!))
      out.push({ path: '/notes', message: `{{${m[1]}}} is not a parameter` });
  return out;
}

/**
 * VM templates: the cloud-init user-data. It is rendered before the VM exists (no {{ip}}), becomes a
 * snippet file on the node and part of the launch record, so it may name only parameters whose
 * values are plain tokens (int, bool, choice) and {{name}}: no secrets, no free text. Nothing is
 * fetched unpinned (same rules as scripts), and a VM template declares no downloads (pin packages
 * in `packages:` as `[name, version]`).
 */
function userDataRules(t: AppTemplate): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const ud = t.setup.userData ?? '';
  if (!/^#cloud-config[ \t]*\r?\n/.test(ud))
    out.push({ path: '/setup/userData', line: 1, message: 'user-data must start with #cloud-config' });
  const byKey = new Map(t.parameters.map((p) => [p.key, p]));
  ud.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\{\{\s*([A-Za-z0-9]+)\s*\}\}/g)) {
      const k = m[1]!;
      if (k === 'name') continue;
      const p = byKey.get(k);
      const at = { path: '/setup/userData', line: i + 1 };
      if (!p) out.push({ ...at, message: `{{${k}}} is not a parameter (user-data knows no {{ip}})` });
      else if (p.type === 'secret')
        out.push({
          ...at,
          message: `{{${k}}} is a secret: user-data is stored in the launch record and a node snippet; let the VM generate it at first boot`,
        });
      else if (p.type === 'string')
        out.push({
          ...at,
          message: `{{${k}}} is free text: user-data may use int, bool and choice parameters only`,
        });
    }
  });
  out.push(...unpinnedFetches(ud, []).map((p) => ({ ...p, path: '/setup/userData' })));
  if (t.downloads.length)
    out.push({
      path: '/downloads',
      message: 'VM templates declare no downloads: pin packages in user-data (packages: [[name, version]])',
    });
  return out;
}

/** Problem with a parameter value, or null. */
export function paramProblem(p: AppTemplate['parameters'][number], v: unknown): string | null {
  switch (p.type) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) return 'must be an integer';
      if (p.min !== undefined && v < p.min) return `must be ≥ ${p.min}`;
      if (p.max !== undefined && v > p.max) return `must be ≤ ${p.max}`;
      return null;
    case 'bool':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'choice':
      return typeof v === 'string' && p.choices?.includes(v)
        ? null
        : `must be one of ${p.choices?.join(', ')}`;
    default: {
      if (typeof v !== 'string') return 'must be a string';
      if (/[\n\r\0]/.test(v)) return 'must be one line';
      if (p.minLength !== undefined && v.length < p.minLength)
        return `must be at least ${p.minLength} characters`;
      if (p.maxLength !== undefined && v.length > p.maxLength)
        return `must be at most ${p.maxLength} characters`;
      if (p.pattern && !new RegExp(p.pattern).test(v)) return `must match ${p.pattern}`;
      return null;
    }
  }
}

export interface ParsedTemplate {
  template: AppTemplate | null;
  problems: TemplateProblem[];
}

/** Parse YAML or JSON text and check it all; problems carry the line of the offending node. */
export function checkTemplateText(
  text: string,
  opts: { builtin?: boolean; shellcheck?: boolean } = {},
): ParsedTemplate {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      template: null,
      problems: doc.errors.map((e) => ({
        path: '',
        line: lc.linePos(e.pos[0]).line,
        message: e.message.split('\n')[0] ?? 'syntax error',
      })),
    };
  }
  const value: unknown = doc.toJS();
  const lineOf = (path: string): number | undefined => {
    const parts = path
      .split('/')
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    for (let n = parts.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(parts.slice(0, n), true);
      if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const result = checkTemplate(value, opts);
  return {
    template: result.template,
    problems: result.problems.map((p) => {
      if ((p.path === '/setup/script' || p.path === '/setup/userData') && p.line !== undefined) {
        // script/user-data lines are relative to the text: add the line where its block starts (+1 for `|`)
        const key = p.path === '/setup/script' ? 'script' : 'userData';
        const start = lineOf(p.path);
        const node = doc.getIn(['setup', key], true);
        const block = isNode(node) && 'type' in node && String(node.type).startsWith('BLOCK') ? 1 : 0;
        return { ...p, line: start !== undefined ? start + block + p.line - 1 : p.line };
      }
      return { ...p, line: p.line ?? lineOf(p.path) };
    }),
  };
}

/** Check a parsed value (JSON body): schema first, then rules and shellcheck. */
export function checkTemplate(
  value: unknown,
  opts: { builtin?: boolean; shellcheck?: boolean } = {},
): ParsedTemplate {
  const schemaProblems = [...compiled.Errors(value)].slice(0, 50).map((e) => ({
    path: e.path,
    message: e.message,
  }));
  if (schemaProblems.length) return { template: null, problems: schemaProblems };
  const t = value as AppTemplate;
  const problems = templateRules(t, opts);
  if (t.setup.script && opts.shellcheck !== false) problems.push(...shellcheck(t.setup.script));
  return { template: problems.length ? null : t, problems };
}
