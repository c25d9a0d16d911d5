import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';

export type ConsoleType = 'vnc' | 'terminal' | 'serial';

/** A one-time console session: `url` is the websocket to open (single use, valid a few seconds). */
export function createConsoleSession(instanceId: string, type: ConsoleType) {
  return call(() =>
    api.POST('/api/v1/instances/{id}/console', { params: { path: { id: instanceId } }, body: { type } }),
  );
}

/** The console kinds an instance offers, the default first. */
export function consoleTypesOf(instanceType: 'vm' | 'lxc'): { type: ConsoleType; label: string }[] {
  return instanceType === 'vm'
    ? [
        { type: 'vnc', label: 'Screen (VNC)' },
        { type: 'serial', label: 'Serial console' },
      ]
    : [{ type: 'terminal', label: 'Terminal' }];
}
