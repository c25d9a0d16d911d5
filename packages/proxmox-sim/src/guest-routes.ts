/**
 * The routing table inside a guest, as far as ProxiCloud's route tables touch it: `ip -force -batch -`
 * with `route replace <cidr> via <ipv4> [proto N]` and `route del <cidr> [proto N]` lines, reached
 * through `pct exec <vmid> -- ip -force -batch -` (containers, stdin) or the QEMU guest agent's
 * `agent/exec` with `input-data` (VMs). Messages follow iproute2: a next hop outside every
 * interface's subnet is "Error: Nexthop has invalid gateway.", deleting a missing route
 * "RTNETLINK answers: No such process"; each failed line adds "Command failed -:<line>" and the exit
 * code is 1 (`-force` goes on with the next line).
 */
import type { Guest } from './state.ts';
import type { ExecResult } from './zfs.ts';

export interface GuestRouteEntry {
  dst: string;
  via: string;
  proto: string;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const toInt = (ip: string): number | undefined => {
  const m = V4.exec(ip);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!;
};

/** The guest's interface subnets (cloud-init `ipconfigN` of a VM, `netN` `ip=` of a container). */
function subnets(g: Guest): { net: number; bits: number }[] {
  const out: { net: number; bits: number }[] = [];
  for (const [k, v] of Object.entries(g.config)) {
    if (!/^(ipconfig|net)\d+$/.test(k)) continue;
    const m = /(?:^|,)ip=([\d.]+)\/(\d+)/.exec(v);
    const ip = m ? toInt(m[1]!) : undefined;
    if (ip === undefined) continue;
    const bits = Number(m![2]);
    const size = 2 ** (32 - bits);
    out.push({ net: ip - (ip % size), bits });
  }
  return out;
}

function validCidr(text: string): boolean {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  return !!m && toInt(m[1]!) !== undefined && Number(m[2]) <= 32;
}

export function ipBatch(g: Guest, input: string): ExecResult {
  g.guestRoutes ??= [];
  const errors: string[] = [];
  const lines = input.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const fail = (msg: string) => errors.push(msg, `Command failed -:${i + 1}`);
    const w = line.split(/\s+/);
    if (w[0] !== 'route' || (w[1] !== 'replace' && w[1] !== 'del')) {
      fail(`Object "${w[0]}" is unknown, try "ip help".`);
      continue;
    }
    const dst = w[2] ?? '';
    const opts: Record<string, string> = {};
    for (let j = 3; j < w.length; j += 2) opts[w[j]!] = w[j + 1] ?? '';
    if (!validCidr(dst)) {
      fail(`Error: any valid prefix is expected rather than "${dst}".`);
      continue;
    }
    const proto = opts.proto ?? 'boot';
    if (w[1] === 'del') {
      const at = g.guestRoutes.findIndex(
        (r) => r.dst === dst && (opts.proto === undefined || r.proto === proto),
      );
      if (at < 0) fail('RTNETLINK answers: No such process');
      else g.guestRoutes.splice(at, 1);
      continue;
    }
    const via = toInt(opts.via ?? '');
    if (via === undefined) {
      fail(`Error: inet address is expected rather than "${opts.via ?? ''}".`);
      continue;
    }
    if (!subnets(g).some((s) => via >= s.net && via < s.net + 2 ** (32 - s.bits))) {
      fail('Error: Nexthop has invalid gateway.');
      continue;
    }
    const entry = { dst, via: opts.via!, proto };
    const at = g.guestRoutes.findIndex((r) => r.dst === dst);
    if (at < 0) g.guestRoutes.push(entry);
    else g.guestRoutes[at] = entry;
  }
  return { stdout: '', stderr: errors.map((e) => `${e}\n`).join(''), code: errors.length ? 1 : 0 };
}
