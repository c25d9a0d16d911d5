// The health map's layout (pure, unit-tested): a row of networks on top, then each node with its
// instances in a grid under it and the node's volumes under those. Edges: node → instance,
// network → instance (one per NIC network), instance → attached volume.
import type { components } from '@proxicloud/sdk';
import type { Instance } from '../instances/api.ts';
import type { NodeSummary } from './api.ts';
import { type Health, instanceHealth, nodeHealth } from './health.ts';

export type Volume = components['schemas']['Volume'];
export type Network = components['schemas']['Network'];

export type Kind = 'node' | 'instance' | 'volume' | 'network';
export interface MapBox {
  id: string;
  kind: Kind;
  /** the resource's id (node: its name) */
  ref: string;
  label: string;
  sub: string;
  health: Health;
  x: number;
  y: number;
}
export interface MapEdge {
  id: string;
  source: string;
  target: string;
}

export const BOX_W = 190;
export const BOX_H = 56;
const GAP = 12;
const COLS = 4;

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);
const gib = (v: number) => `${v} GiB`;

/** Volumes and networks by status: in use / available green, changing yellow, error red. */
export function statusHealth(status: string): Health {
  if (status === 'error') return 'red';
  if (status === 'available' || status === 'in-use') return 'green';
  if (status === 'deleted') return 'grey';
  return 'yellow';
}

export function buildHealthGraph(input: {
  nodes: readonly NodeSummary[];
  instances: readonly Instance[];
  volumes: readonly Volume[];
  networks: readonly Network[];
  search: string;
  showVolumes: boolean;
  showNetworks: boolean;
}): { boxes: MapBox[]; edges: MapEdge[] } {
  const q = input.search.trim().toLowerCase();
  const match = (name: string, id: string) => !q || name.toLowerCase().includes(q) || id.includes(q);
  const boxes: MapBox[] = [];
  const edges: MapEdge[] = [];
  const live = input.instances.filter((i) => i.status !== 'terminated');
  const shown = live.filter((i) => match(i.name, i.id));
  const shownIds = new Set(shown.map((i) => i.id));

  const networks = input.showNetworks ? input.networks.filter((n) => n.status !== 'deleted') : [];
  networks.forEach((n, k) => {
    const members = live.filter((i) => i.nics.some((c) => c.networkId === n.id)).length;
    boxes.push({
      id: `network:${n.id}`,
      kind: 'network',
      ref: n.id,
      label: n.name,
      sub: `${n.cidr} · ${members} instance${members === 1 ? '' : 's'}`,
      health: statusHealth(n.status),
      x: k * (BOX_W + GAP),
      y: 0,
    });
  });
  const networkIds = new Set(networks.map((n) => n.id));
  const top = networks.length ? 160 : 0;

  const volumes = input.showVolumes ? input.volumes.filter((v) => v.status !== 'deleted') : [];
  let x = 0;
  for (const n of input.nodes) {
    const h = nodeHealth(n);
    boxes.push({
      id: `node:${n.node}`,
      kind: 'node',
      ref: n.node,
      label: n.node,
      sub: `${n.status} · CPU ${pct(h.cpu)} · mem ${pct(h.mem)}`,
      health: h.health,
      x,
      y: top,
    });
    const mine = shown.filter((i) => i.node === n.node);
    const vols = volumes.filter(
      (v) => v.node === n.node && (v.instanceId ? shownIds.has(v.instanceId) : match(v.name, v.id)),
    );
    const cols = Math.min(COLS, Math.max(1, mine.length, Math.min(COLS, vols.length)));
    const instTop = top + 110;
    mine.forEach((i, k) => {
      const ih = instanceHealth(i);
      const id = `instance:${i.id}`;
      boxes.push({
        id,
        kind: 'instance',
        ref: i.id,
        label: i.name,
        sub: `${i.status} · CPU ${pct(ih.cpu)} · mem ${pct(ih.mem)}`,
        health: ih.health,
        x: x + (k % cols) * (BOX_W + GAP),
        y: instTop + Math.floor(k / cols) * (BOX_H + GAP),
      });
      edges.push({ id: `e:${n.node}:${i.id}`, source: `node:${n.node}`, target: id });
      for (const net of new Set(i.nics.map((c) => c.networkId)))
        if (networkIds.has(net)) edges.push({ id: `e:${net}:${i.id}`, source: `network:${net}`, target: id });
    });
    const volTop = instTop + Math.ceil(mine.length / cols) * (BOX_H + GAP) + (mine.length ? 50 : 0);
    vols.forEach((v, k) => {
      const id = `volume:${v.id}`;
      boxes.push({
        id,
        kind: 'volume',
        ref: v.id,
        label: v.name,
        sub: `volume · ${v.status} · ${gib(v.sizeGib)}`,
        health: statusHealth(v.status),
        x: x + (k % cols) * (BOX_W + GAP),
        y: volTop + Math.floor(k / cols) * (BOX_H + GAP),
      });
      if (v.instanceId && shownIds.has(v.instanceId))
        edges.push({ id: `e:${v.instanceId}:${v.id}`, source: `instance:${v.instanceId}`, target: id });
    });
    x += cols * (BOX_W + GAP) + 80;
  }
  return { boxes, edges };
}
