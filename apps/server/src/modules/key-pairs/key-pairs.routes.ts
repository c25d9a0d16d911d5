import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import {
  CreatedKeyPairSchema,
  CreateKeyPairBody,
  ImportKeyPairBody,
  KeyPairIdParams,
  KeyPairListQuery,
  KeyPairSchema,
} from './key-pairs.schemas.ts';
import type { KeyPairsService } from './key-pairs.service.ts';

export async function keyPairsRoutes(app: FastifyInstance, keyPairs: KeyPairsService): Promise<void> {
  app.addSchema(KeyPairSchema);
  app.addSchema(CreatedKeyPairSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/key-pairs',
    {
      schema: {
        tags: ['key-pairs'],
        operationId: 'listKeyPairs',
        summary: 'Your SSH key pairs (admins: all)',
        querystring: KeyPairListQuery,
        response: { 200: ListOf(Type.Ref(KeyPairSchema)), ...errorResponses() },
      },
    },
    async (request) => keyPairs.list(authContext(request).actor, request.query.q, page(request.query)),
  );

  r.post(
    '/key-pairs',
    {
      config: { audit: { action: 'key_pairs.create', resourceType: 'key_pair' } },
      schema: {
        tags: ['key-pairs'],
        operationId: 'createKeyPair',
        summary: 'Generate an ed25519 or RSA-4096 key pair; the private key is in this answer only',
        body: CreateKeyPairBody,
        response: { 201: Type.Ref(CreatedKeyPairSchema), ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const created = await keyPairs.generate(
        authContext(request),
        request.body.name,
        request.body.algorithm ?? 'ed25519',
      );
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  r.post(
    '/key-pairs/import',
    {
      config: { audit: { action: 'key_pairs.import', resourceType: 'key_pair' } },
      schema: {
        tags: ['key-pairs'],
        operationId: 'importKeyPair',
        summary: 'Import an existing OpenSSH public key',
        body: ImportKeyPairBody,
        response: { 201: Type.Ref(KeyPairSchema), ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const kp = await keyPairs.import(authContext(request), request.body.name, request.body.publicKey);
      return reply.status(201).send(kp);
    },
  );

  r.get(
    '/key-pairs/:id',
    {
      schema: {
        tags: ['key-pairs'],
        operationId: 'getKeyPair',
        summary: 'One key pair (public key and fingerprint)',
        params: KeyPairIdParams,
        response: { 200: Type.Ref(KeyPairSchema), ...errorResponses(404) },
      },
    },
    async (request) => keyPairs.get(authContext(request).actor, request.params.id),
  );

  r.delete(
    '/key-pairs/:id',
    {
      config: { audit: { action: 'key_pairs.delete', resourceType: 'key_pair', resourceIdParam: 'id' } },
      schema: {
        tags: ['key-pairs'],
        operationId: 'deleteKeyPair',
        summary: 'Delete a key pair (instances launched with it keep the key)',
        params: KeyPairIdParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await keyPairs.delete(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
