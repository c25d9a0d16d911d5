import { Input } from '../../../components/index.ts';
import { radioCard, Section } from '../Section.tsx';
import type { LaunchForm } from '../useLaunchForm.ts';

const TYPES = [
  ['lxc', 'LXC container', 'Lightweight, shares the host kernel; starts in seconds.'],
  ['vm', 'Virtual machine', 'Full VM with its own kernel, from a cloud image.'],
] as const;

export function NameStep({ f }: { f: LaunchForm }) {
  return (
    <Section n={1} title="Name and type">
      <Input
        label="Name"
        value={f.name}
        onChange={(e) => f.setName(e.target.value.toLowerCase())}
        error={f.show(f.errors.name) ?? (f.name && f.errors.name ? f.errors.name : null)}
        hint="Also the hostname, e.g. web-1."
        placeholder="web-1"
        autoFocus
      />
      <fieldset className="flex min-w-0 flex-col gap-2">
        <legend className="mb-1.5 text-sm font-medium">Instance type</legend>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
          {TYPES.map(([v, label, help]) => (
            <label key={v} className={radioCard(f.type === v)}>
              <span className="flex items-center gap-2 font-medium">
                <input
                  type="radio"
                  name="type"
                  value={v}
                  checked={f.type === v}
                  onChange={() => f.setType(v)}
                  className="accent-primary"
                />
                {label}
              </span>
              <span className="text-xs text-muted">{help}</span>
            </label>
          ))}
        </div>
      </fieldset>
    </Section>
  );
}
