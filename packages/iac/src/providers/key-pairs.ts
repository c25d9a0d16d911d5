/** keyPairs: imported SSH public keys, referenced by instances (`keyPairs: [deploy]`). */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, readsFromList } from './common.ts';

type KeyPair = components['schemas']['KeyPair'];

/** keys are compared without their comment (the server may normalise it) */
const keyBody = (k: unknown) => String(k).trim().split(/\s+/).slice(0, 2).join(' ');

const observe = (k: KeyPair): Observed => ({
  id: k.id,
  spec: { name: k.name, publicKey: keyBody(k.publicKey) },
  outputs: { id: k.id, fingerprint: k.fingerprint },
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/key-pairs', { params: { query: { limit: PAGE, offset } } }),
    'list key pairs',
  );

export const keyPairsProvider: Provider = {
  kind: 'keyPairs',
  description: 'SSH public keys (imported)',
  schema: KIND_SCHEMAS.keyPairs as Record<string, unknown>,
  forceNew: 'all',
  outputs: ['id', 'fingerprint'],
  normalize: (spec) => ({
    ...spec,
    ...(spec.publicKey !== undefined ? { publicKey: keyBody(spec.publicKey) } : {}),
  }),
  ...readsFromList(list, observe),
  async create(ctx, spec, meta) {
    const k = await ok(
      ctx.api.POST('/api/v1/key-pairs/import', {
        body: { name: String(spec.name), publicKey: String(spec.publicKey) },
      }),
      `import key pair ${spec.name}`,
    );
    meta.onId(k.id);
    return observe(k);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/key-pairs/{id}', { params: { path: { id } } }),
      `delete key pair ${id}`,
    );
  },
};
