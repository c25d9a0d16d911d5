/**
 * The per-instance series of `/metrics`, formatted straight from the snapshot (11 series × N guests):
 * prom-client's per-label-set gauges cost ≈ 80× more for 5,000 guests (docs/benchmarks.md). The
 * format is Prometheus text 0.0.4, label values escaped.
 */
import type { ClusterSnapshot, ResourceEntry } from '../proxmox/index.ts';

export interface InstanceLabel {
  id: string;
  name: string;
  ownerId: string;
  vmid: number | null;
}

type Pick = (e: ResourceEntry & Record<string, unknown>) => unknown;
/** name, type, help, value, only while running */
const FAMILIES: [string, 'gauge' | 'counter', string, Pick, boolean][] = [
  [
    'proxicloud_instance_up',
    'gauge',
    '1 when the guest runs, 0 otherwise',
    (e) => (e.status === 'running' ? 1 : 0),
    false,
  ],
  ['proxicloud_instance_cpu_ratio', 'gauge', 'CPU use of the guest (0–1 of its vCPUs)', (e) => e.cpu, true],
  ['proxicloud_instance_vcpus', 'gauge', 'vCPUs of the guest', (e) => e.maxcpu, false],
  ['proxicloud_instance_memory_bytes', 'gauge', 'Memory in use', (e) => e.mem, true],
  ['proxicloud_instance_memory_max_bytes', 'gauge', 'Memory allocated', (e) => e.maxmem, false],
  ['proxicloud_instance_disk_used_bytes', 'gauge', 'Root disk used (containers)', (e) => e.disk, true],
  ['proxicloud_instance_disk_size_bytes', 'gauge', 'Root disk size', (e) => e.maxdisk, false],
  [
    'proxicloud_instance_network_receive_bytes_total',
    'counter',
    'Bytes received since start',
    (e) => e.netin,
    true,
  ],
  [
    'proxicloud_instance_network_transmit_bytes_total',
    'counter',
    'Bytes sent since start',
    (e) => e.netout,
    true,
  ],
  [
    'proxicloud_instance_disk_read_bytes_total',
    'counter',
    'Block device bytes read since start',
    (e) => e.diskread,
    true,
  ],
  [
    'proxicloud_instance_disk_write_bytes_total',
    'counter',
    'Block device bytes written since start',
    (e) => e.diskwrite,
    true,
  ],
];

export const INSTANCE_METRIC_NAMES = FAMILIES.map((f) => f[0]);

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function instanceSeries(
  snap: ClusterSnapshot | null,
  byVmid: ReadonlyMap<number, InstanceLabel>,
): { text: string; count: number } {
  const lines: string[][] = FAMILIES.map(([name, type, help]) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
  ]);
  let count = 0;
  if (snap) {
    for (const [vmid, e] of snap.guests) {
      const inst = byVmid.get(vmid);
      if (!inst) continue; // guests ProxiCloud does not manage are not exported
      count++;
      const labels = `{instance_id="${esc(inst.id)}",name="${esc(inst.name)}",node="${esc(e.node ?? '')}",owner="${esc(inst.ownerId)}",type="${esc(String(e.type))}"}`;
      const running = e.status === 'running';
      for (let f = 0; f < FAMILIES.length; f++) {
        const [name, , , pick, whileRunning] = FAMILIES[f]!;
        if (whileRunning && !running) continue;
        const v = Number(pick(e as ResourceEntry & Record<string, unknown>) ?? 0);
        lines[f]!.push(`${name}${labels} ${Number.isFinite(v) ? v : 0}`);
      }
    }
  }
  return { text: `${lines.map((l) => l.join('\n')).join('\n')}\n`, count };
}
