/**
 * Helpers of the real-packets tier (tests only): a guest's namespace in the simulator's packet world
 * (`buildPacketWorld`, packages/proxmox-sim) and a one-packet ping from it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { guestNamespace } from '@proxicloud/proxmox-sim';

export const run = promisify(execFile);

/** The network namespace of a guest in the packet world. */
export const guestNs = (i: { vmid: number | null }) => guestNamespace(i.vmid!);

/** One ping (1 s timeout) from the guest's namespace: answered or not. */
export async function canPing(from: { vmid: number | null }, ip: string): Promise<boolean> {
  try {
    await run('ip', ['netns', 'exec', guestNs(from), 'ping', '-c', '1', '-W', '1', ip]);
    return true;
  } catch {
    return false;
  }
}
