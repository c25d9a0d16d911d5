import type { SystemInfo } from '@proxicloud/sdk';
import { Badge } from '../../components/index.ts';

/** Says plainly whether this console drives a real Proxmox host or the built-in simulator. */
export function ModeBadge({ info }: { info: SystemInfo }) {
  if (info.mode === 'demo') {
    return (
      <Badge tone="amber" dot>
        <span title="Demo mode: resources run on a simulated Proxmox node; nothing touches real hardware.">
          DEMO — simulated Proxmox node
        </span>
      </Badge>
    );
  }
  const nodes = info.proxmox?.nodes ?? [];
  return (
    <Badge tone="green" dot>
      <span title={nodes.length ? `Nodes: ${nodes.join(', ')}` : undefined}>
        Proxmox VE{nodes.length ? ` · ${nodes.length} node${nodes.length === 1 ? '' : 's'}` : ''}
      </span>
    </Badge>
  );
}
