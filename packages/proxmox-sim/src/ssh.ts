/** SSH host-agent endpoint: filled in below. */
import type { SimContext } from './context.ts';

export interface SshEndpoint {
  info: { host: string; port: number; username: string; password: string; hostKeyFingerprint: string };
  close(): Promise<void>;
}

export async function startSshServer(
  _sim: SimContext,
  _o: { host: string; port: number },
): Promise<SshEndpoint | null> {
  return null;
}
