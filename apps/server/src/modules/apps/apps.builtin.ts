/**
 * The built-in catalog: `builtin/<id>.yaml` (the template without its setup), `builtin/<id>.sh`
 * (setup.script of containers) or `builtin/<id>.user-data.yaml` (setup.userData of VMs), `builtin/logos/<id>.svg` and `builtin/lib.sh` (sourced by every script). The files
 * sit beside this module in a checkout and in `dist/apps-builtin/` of a build (scripts/build-server.mjs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { AppTemplate } from './apps.template.ts';
import { checkTemplate, type TemplateProblem } from './apps.validate.ts';

export const BUILTIN_IDS = [
  'jellyfin',
  'plex',
  'nextcloud',
  'syncthing',
  'vaultwarden',
  'authentik',
  'uptime-kuma',
  'netdata',
  'gitlab',
  'code-server',
  'home-assistant',
  'node-red',
  'prometheus',
] as const;

/** Built-ins that are VMs (cloud-init user-data in `<id>.user-data.yaml` instead of a script). */
export const BUILTIN_VM_IDS: readonly string[] = ['prometheus'];

export function builtinDir(): string {
  // A checkout; the server bundle (dist/main.mjs); the CLI bundle, whose server code is a chunk in
  // dist/chunks/ (`proxicloud serve`).
  for (const rel of ['./builtin/', './apps-builtin/', '../apps-builtin/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}lib.sh`)) return dir;
  }
  throw new Error('built-in app templates not found (builtin/ beside apps.builtin.ts or dist/apps-builtin/)');
}

/** The raw template of one built-in (script filled in), unchecked. */
export function readBuiltin(dir: string, id: string): unknown {
  const doc = parse(readFileSync(`${dir}${id}.yaml`, 'utf8')) as Record<string, unknown>;
  const setup = (doc.setup ?? {}) as Record<string, unknown>;
  if (existsSync(`${dir}${id}.sh`)) setup.script = readFileSync(`${dir}${id}.sh`, 'utf8');
  if (existsSync(`${dir}${id}.user-data.yaml`))
    setup.userData = readFileSync(`${dir}${id}.user-data.yaml`, 'utf8');
  return { ...doc, setup };
}

export interface BuiltinCatalog {
  templates: Map<string, AppTemplate>;
  logos: Map<string, string>;
  /** Problems per template id (a test asserts there are none). */
  problems: Map<string, TemplateProblem[]>;
  lib: string;
}

/** Load (and check) every built-in template. Shellcheck is the test's job: skipped here for start-up speed. */
export function loadBuiltins(opts: { shellcheck?: boolean } = {}): BuiltinCatalog {
  const dir = builtinDir();
  const templates = new Map<string, AppTemplate>();
  const logos = new Map<string, string>();
  const problems = new Map<string, TemplateProblem[]>();
  const ids = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.user-data.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
  for (const id of ids) {
    const raw = readBuiltin(dir, id);
    const res = checkTemplate(raw, { builtin: true, shellcheck: opts.shellcheck ?? false });
    if (res.problems.length) problems.set(id, res.problems);
    const t = (res.template ?? raw) as AppTemplate;
    if (!res.template) continue;
    templates.set(id, t);
    const logo = `${dir}logos/${t.logo}`;
    if (existsSync(logo)) logos.set(id, readFileSync(logo, 'utf8'));
  }
  return { templates, logos, problems, lib: readFileSync(`${dir}lib.sh`, 'utf8') };
}
