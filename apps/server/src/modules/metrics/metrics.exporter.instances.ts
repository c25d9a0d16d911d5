/**
 * The per-instance series of `/metrics`, formatted straight from the snapshot (11 series × N guests):
 * prom-client's per-label-set gauges cost ≈ 80× more for 5,000 guests (docs/benchmarks.md). The
 * format is Prometheus text 0.0.4, label values escaped.
 *
 * `InstanceSeriesFormatter` keeps what does not change between scrapes: each guest's escaped label
 * set (rebuilt only when its instance row, node or type changes) and the whole text of the last
 * (snapshot, labels) pair — a second scrape of the same collector pass (two Prometheus servers, an
 * HA pair) costs nothing.
 */
import type { ClusterSnapshot, ResourceEntry } from '../proxmox/index.ts';

export interface InstanceLabel {
  id: string;
  name: string;
  ownerId: string;
  vmid: number | null;
}

type Entry = ResourceEntry & Record<string, unknown>;
/** name, type, help, field of the /cluster/resources entry (null: `up`), only while running */
const FAMILIES: [string, 'gauge' | 'counter', string, string | null, boolean][] = [
  ['proxicloud_instance_up', 'gauge', '1 when the guest runs, 0 otherwise', null, false],
  ['proxicloud_instance_cpu_ratio', 'gauge', 'CPU use of the guest (0–1 of its vCPUs)', 'cpu', true],
  ['proxicloud_instance_vcpus', 'gauge', 'vCPUs of the guest', 'maxcpu', false],
  ['proxicloud_instance_memory_bytes', 'gauge', 'Memory in use', 'mem', true],
  ['proxicloud_instance_memory_max_bytes', 'gauge', 'Memory allocated', 'maxmem', false],
  ['proxicloud_instance_disk_used_bytes', 'gauge', 'Root disk used (containers)', 'disk', true],
  ['proxicloud_instance_disk_size_bytes', 'gauge', 'Root disk size', 'maxdisk', false],
  ['proxicloud_instance_network_receive_bytes_total', 'counter', 'Bytes received since start', 'netin', true],
  ['proxicloud_instance_network_transmit_bytes_total', 'counter', 'Bytes sent since start', 'netout', true],
  [
    'proxicloud_instance_disk_read_bytes_total',
    'counter',
    'Block device bytes read since start',
    'diskread',
    true,
  ],
  [
    'proxicloud_instance_disk_write_bytes_total',
    'counter',
    'Block device bytes written since start',
    'diskwrite',
    true,
  ],
];

export const INSTANCE_METRIC_NAMES = FAMILIES.map((f) => f[0]);

const esc = (v: string) =>
  /[\\\n"]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;

const value = (v: unknown): string => {
  const n = typeof v === 'number' ? v : Number(v ?? 0);
  return Number.isFinite(n) ? String(n) : '0';
};

interface CachedLabel {
  inst: InstanceLabel;
  node: unknown;
  type: unknown;
  text: string;
}

export class InstanceSeriesFormatter {
  private labels = new Map<number, CachedLabel>();
  private last: {
    snap: ClusterSnapshot | null;
    byVmid: ReadonlyMap<number, InstanceLabel> | null;
    out: { text: string; count: number };
  } = { snap: null, byVmid: null, out: { text: '', count: 0 } };

  format(
    snap: ClusterSnapshot | null,
    byVmid: ReadonlyMap<number, InstanceLabel>,
  ): { text: string; count: number } {
    if (snap && snap === this.last.snap && byVmid === this.last.byVmid) return this.last.out;
    const bodies: string[] = FAMILIES.map(() => '');
    const next = new Map<number, CachedLabel>();
    let count = 0;
    if (snap) {
      for (const [vmid, g] of snap.guests) {
        const inst = byVmid.get(vmid);
        if (!inst) continue; // guests ProxiCloud does not manage are not exported
        const e = g as Entry;
        count++;
        let l = this.labels.get(vmid);
        if (!l || l.inst !== inst || l.node !== e.node || l.type !== e.type) {
          l = {
            inst,
            node: e.node,
            type: e.type,
            text: `{instance_id="${esc(inst.id)}",name="${esc(inst.name)}",node="${esc(String(e.node ?? ''))}",owner="${esc(inst.ownerId)}",type="${esc(String(e.type))}"} `,
          };
        }
        next.set(vmid, l);
        const running = e.status === 'running';
        for (let f = 0; f < FAMILIES.length; f++) {
          const fam = FAMILIES[f]!;
          if (fam[4] && !running) continue;
          const v = fam[3] === null ? (running ? '1' : '0') : value(e[fam[3]]);
          bodies[f] += `${fam[0]}${l.text}${v}\n`;
        }
      }
    }
    this.labels = next;
    let text = '';
    for (let f = 0; f < FAMILIES.length; f++) {
      const [name, type, help] = FAMILIES[f]!;
      text += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${bodies[f]}`;
    }
    const out = { text, count };
    this.last = { snap, byVmid, out };
    return out;
  }
}

/** One-off formatting (tests). */
export function instanceSeries(
  snap: ClusterSnapshot | null,
  byVmid: ReadonlyMap<number, InstanceLabel>,
): { text: string; count: number } {
  return new InstanceSeriesFormatter().format(snap, byVmid);
}
