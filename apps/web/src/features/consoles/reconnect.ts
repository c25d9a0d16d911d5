/**
 * When a console connection ends: whether to try again, and when. The server's close codes 4000
 * (idle), 4001 (access ended), 4002 (instance stopped) and 4003 (instance deleted) are final, as is
 * a normal close (the guest's shell exited); anything else (network loss, server restart, Proxmox
 * closing) is retried with exponential backoff and jitter.
 */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 4000, 4001, 4002, 4003]);

export const MAX_ATTEMPTS = 6;

export function shouldReconnect(code: number, attempt: number): boolean {
  return !FINAL_CLOSE_CODES.has(code) && attempt < MAX_ATTEMPTS;
}

/** Delay before reconnect attempt `attempt` (0-based): 1 s, 2 s, 4 s … capped at 30 s, ±20 %. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** What the status line says about a close. */
export function closeText(code: number, reason: string): string {
  if (reason) return reason.charAt(0).toUpperCase() + reason.slice(1);
  if (code === 1000) return 'The console session ended';
  if (code === 1006) return 'The connection was lost';
  return `The connection closed (code ${code})`;
}
