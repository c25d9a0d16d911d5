import { Input, Select } from '../../../components/index.ts';
import { formatMiB } from '../../instances/api.ts';
import { Section } from '../Section.tsx';
import type { LaunchForm } from '../useLaunchForm.ts';

export function SizeStep({ f }: { f: LaunchForm }) {
  return (
    <Section n={3} title="Size">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Select
          label="Instance size"
          value={f.preset}
          onChange={(e) => {
            f.setPreset(e.target.value);
            if (e.target.value === 'custom' && f.presetInfo) {
              f.setVcpu(f.presetInfo.vcpu);
              f.setMemory(f.presetInfo.memory);
            }
          }}
          options={[
            ...(f.types.data?.items ?? []).map((t) => ({
              value: t.name,
              label: `${t.name} · ${t.vcpu} vCPU · ${formatMiB(t.memory)}`,
            })),
            { value: 'custom', label: 'Custom vCPU and memory' },
          ]}
        />
        <Input
          label="Root disk (GiB)"
          type="number"
          min={1}
          max={16384}
          value={f.disk === '' ? String(f.eff.sizeGib) : f.disk}
          onChange={(e) => f.setDisk(e.target.value === '' ? '' : Number(e.target.value))}
          error={f.errors.disk}
        />
        {f.preset === 'custom' ? (
          <>
            <Input
              label="vCPUs"
              type="number"
              min={1}
              max={128}
              value={f.vcpu}
              onChange={(e) => f.setVcpu(Number(e.target.value))}
              error={f.errors.vcpu}
            />
            <Input
              label="Memory (MiB)"
              type="number"
              min={128}
              step={128}
              value={f.memory}
              onChange={(e) => f.setMemory(Number(e.target.value))}
              error={f.errors.memory}
            />
          </>
        ) : null}
      </div>
    </Section>
  );
}
