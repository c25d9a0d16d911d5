/** Terraform-like rendering of stack plans and apply results (+ create, ~ update, -/+ replace, - delete). */
import type { components } from '@proxicloud/sdk';
import type { Colors } from '../lib/output.ts';

export type StackPlan = components['schemas']['StackPlan'];
type Change = StackPlan['changes'][number];
type FieldChange = Change['changes'][number];

const SYMBOL: Record<Change['action'], string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  'no-op': ' ',
};
const VERB: Record<Change['action'], string> = {
  create: 'will be created',
  update: 'will be updated in place',
  replace: 'must be replaced',
  delete: 'will be destroyed',
  'no-op': 'unchanged',
};

function value(v: unknown): string {
  if (v === undefined) return '(unset)';
  if (v === '(known after apply)') return '(known after apply)';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

function color(c: Colors, action: Change['action'], text: string): string {
  switch (action) {
    case 'create':
      return c.green(text);
    case 'update':
      return c.yellow(text);
    case 'replace':
      return c.magenta(text);
    case 'delete':
      return c.red(text);
    default:
      return text;
  }
}

function fieldLines(c: Colors, change: Change): string[] {
  const width = Math.max(0, ...change.changes.map((f) => f.field.length));
  return change.changes.map((f: FieldChange) => {
    const name = f.field.padEnd(width);
    // a sensitive field carries only a hash of its value: say so, as Terraform does
    const show = (v: unknown) => (f.sensitive ? c.dim('(sensitive value)') : value(v));
    if (change.action === 'create') return `      ${c.green('+')} ${name} = ${show(f.after)}`;
    const note = f.forcesReplacement && change.action === 'replace' ? c.red(' # forces replacement') : '';
    return `      ${c.yellow('~')} ${name} = ${show(f.before)} → ${show(f.after)}${note}`;
  });
}

/** Lines for fields changed outside ProxiCloud since the last apply. */
export function renderDrift(c: Colors, plan: StackPlan): string[] {
  const drifted = plan.changes.filter(
    (ch) => ch.drift.length > 0 || ch.reason === 'deleted outside ProxiCloud',
  );
  if (drifted.length === 0) return [];
  const lines = [c.bold('Changed outside ProxiCloud since the last apply:'), ''];
  for (const ch of drifted) {
    if (ch.reason === 'deleted outside ProxiCloud') {
      lines.push(`  ${c.red('!')} ${ch.address} ${c.dim(`(${ch.id ?? ''})`)} was deleted`);
      continue;
    }
    lines.push(`  ${c.yellow('~')} ${ch.address} ${c.dim(`(${ch.id ?? ''})`)}`);
    for (const f of ch.drift) lines.push(`      ${f.field}: ${value(f.before)} → ${value(f.after)}`);
  }
  lines.push('');
  return lines;
}

export function summaryLine(plan: StackPlan): string {
  const s = plan.summary;
  if (s.create + s.update + s.replace + s.delete === 0) return 'No changes. The stack matches the file.';
  return `Plan: ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy.`;
}

export function renderPlan(c: Colors, plan: StackPlan): string {
  const lines = [...renderDrift(c, plan)];
  const changes = plan.changes.filter((ch) => ch.action !== 'no-op');
  if (changes.length) {
    lines.push(`ProxiCloud will perform these actions on stack ${c.bold(plan.stack)}:`, '');
    for (const ch of changes) {
      const head = `  ${color(c, ch.action, SYMBOL[ch.action].padEnd(3))} ${c.bold(ch.address)} ${VERB[ch.action]}`;
      lines.push(`${head}${ch.id ? c.dim(`  (${ch.id})`) : ''}${ch.reason ? c.dim(`  — ${ch.reason}`) : ''}`);
      lines.push(...fieldLines(c, ch), '');
    }
  }
  lines.push(c.bold(summaryLine(plan)));
  return lines.join('\n');
}

export interface RunEvent {
  address: string;
  action: string;
  status: 'started' | 'done' | 'failed';
  id?: string;
  message?: string;
}

export function renderEvents(c: Colors, events: RunEvent[]): string[] {
  return events
    .filter((e) => e.status !== 'started')
    .map((e) =>
      e.status === 'done'
        ? `${c.green('✔')} ${e.address}: ${e.action} done${e.id ? c.dim(` (${e.id})`) : ''}`
        : `${c.red('✘')} ${e.address}: ${e.action} failed: ${e.message ?? ''}`,
    );
}
