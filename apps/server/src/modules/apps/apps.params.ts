/**
 * Parameters of a deploy: checked against the template up front (400 naming the parameter), secrets
 * generated when asked, and the app.env the setup script reads.
 */
import { randomString } from '../../platform/crypto.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { AppTemplate } from './apps.template.ts';
import { paramProblem } from './apps.validate.ts';

export type ParamValues = Record<string, string | number | boolean>;

export interface ResolvedParams {
  /** Non-secret values (stored, shown). */
  plain: ParamValues;
  /** Secret values (sealed at rest, only in app.env inside the container). */
  secrets: Record<string, string>;
}

export function resolveParams(t: AppTemplate, given: ParamValues = {}): ResolvedParams {
  const known = new Map(t.parameters.map((p) => [p.key, p]));
  for (const k of Object.keys(given))
    if (!known.has(k))
      throw new ValidationError(
        `Unknown parameter '${k}' for ${t.id} (known: ${[...known.keys()].join(', ') || 'none'})`,
        {
          field: `params.${k}`,
        },
        'unknown_parameter',
      );
  const plain: ParamValues = {};
  const secrets: Record<string, string> = {};
  for (const p of t.parameters) {
    let v = given[p.key] ?? p.default;
    if (v === undefined && p.type === 'secret' && p.generate)
      v = randomString(Math.max(24, p.minLength ?? 0));
    if (v === undefined || (p.type === 'secret' && v === '' && !p.required)) {
      if (p.required)
        throw new ValidationError(
          `Parameter '${p.key}' (${p.label}) is required`,
          { field: `params.${p.key}` },
          'missing_parameter',
        );
      if (p.type === 'secret') secrets[p.key] = '';
      continue;
    }
    const problem = paramProblem(p, v);
    if (problem)
      throw new ValidationError(
        `Parameter '${p.key}' ${problem}`,
        { field: `params.${p.key}` },
        'invalid_parameter',
      );
    if (p.type === 'secret') secrets[p.key] = String(v);
    else plain[p.key] = v;
  }
  return { plain, secrets };
}

const envName = (key: string) => `PC_PARAM_${key.toUpperCase()}`;
const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** Replace {{param}}, {{ip}} and {{name}} in a template text. */
export function fill(text: string, values: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9]+)\s*\}\}/g, (m, k: string) =>
    values[k] === undefined || values[k] === null ? m : String(values[k]),
  );
}

/** app.env: parameters, template environment, version and pinned downloads (shell-quoted). */
export function appEnv(
  t: AppTemplate,
  params: ResolvedParams,
  ctx: { ip: string | null; name: string },
): string {
  const lines = [`# written by ProxiCloud for app ${ctx.name} (${t.id} ${t.version}); root only`];
  const put = (k: string, v: string) => lines.push(`${k}=${quote(v)}`);
  put('APP_ID', t.id);
  put('APP_NAME', ctx.name);
  put('APP_VERSION', t.version);
  put('APP_IP', ctx.ip ?? '');
  for (const [k, v] of Object.entries(params.plain)) put(envName(k), String(v));
  for (const [k, v] of Object.entries(params.secrets)) put(envName(k), v);
  const values = { ...params.plain, ...params.secrets, ip: ctx.ip ?? '', name: ctx.name };
  for (const [k, v] of Object.entries(t.environment)) put(k, fill(v, values));
  for (const d of t.downloads) {
    const n = d.name.toUpperCase();
    put(`PC_DL_${n}_URL`, d.url);
    put(`PC_DL_${n}_SHA256`, d.sha256 ?? '');
  }
  return `${lines.join('\n')}\n`;
}
