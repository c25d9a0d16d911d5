/** Console websockets (vncwebsocket): filled in below. */
import type { Server } from 'node:https';
import type { Auth } from './auth.ts';
import type { SimContext } from './context.ts';

export function attachConsoles(_server: Server, _sim: SimContext, _auth: Auth): { close(): void } {
  return { close() {} };
}
