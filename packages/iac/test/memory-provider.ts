/** An in-memory provider: a fake "cloud" at the provider boundary, with write counters and faults. */
import { KIND_SCHEMAS, type Observed, type Provider, type Spec } from '../src/index.ts';

export interface MemoryCloud {
  objects: Map<string, { kind: string; spec: Spec }>;
  writes: number;
  listCalls: number;
  /** throw on the create of this name (once) */
  failCreateOf?: string;
  nextId: number;
}

export function memoryCloud(): MemoryCloud {
  return { objects: new Map(), writes: 0, listCalls: 0, nextId: 1 };
}

export function memoryProvider(
  cloud: MemoryCloud,
  kind: string,
  options: { forceNew?: string[] | 'all'; updatable?: boolean; readable?: string[] } = {},
): Provider {
  const observe = (id: string, spec: Spec): Observed => {
    const readable = options.readable ?? Object.keys(spec);
    return {
      id,
      spec: Object.fromEntries(Object.entries(spec).filter(([k]) => readable.includes(k))),
      outputs: { ...(spec.cidr ? { cidr: spec.cidr } : {}), ip: `10.0.0.${id.split('-')[1]}` },
    };
  };
  return {
    kind,
    description: kind,
    schema: KIND_SCHEMAS[kind] ?? {},
    forceNew: options.forceNew ?? ['name'],
    outputs: ['id', 'ip'],
    async readAll(_ctx, ids) {
      cloud.listCalls += 1;
      const out = new Map<string, Observed>();
      for (const id of ids) {
        const o = cloud.objects.get(id);
        if (o && o.kind === kind) out.set(id, observe(id, o.spec));
      }
      return out;
    },
    async create(_ctx, spec, meta) {
      if (cloud.failCreateOf === spec.name) {
        cloud.failCreateOf = undefined;
        throw new Error(`create of ${spec.name} failed`);
      }
      cloud.writes += 1;
      const id = `${kind.slice(0, 3)}-${cloud.nextId++}`;
      meta.onId(id);
      cloud.objects.set(id, { kind, spec: structuredClone(spec) });
      return observe(id, spec);
    },
    ...(options.updatable === false
      ? {}
      : {
          async update(_ctx, id, spec) {
            cloud.writes += 1;
            cloud.objects.set(id, { kind, spec: structuredClone(spec) });
            return observe(id, spec);
          },
        }),
    async delete(_ctx, id) {
      cloud.writes += 1;
      cloud.objects.delete(id);
    },
  };
}
