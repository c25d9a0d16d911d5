import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import {
  AlarmIdParams,
  AlarmListQuery,
  AlarmSchema,
  AlarmTransitionSchema,
  CreateAlarmBody,
  HistoryQuery,
  UpdateAlarmBody,
} from './alarms.schemas.ts';
import type { AlarmsService } from './alarms.service.ts';

const tags = ['alarms'];

export async function alarmsRoutes(app: FastifyInstance, alarms: AlarmsService): Promise<void> {
  app.addSchema(AlarmSchema);
  app.addSchema(AlarmTransitionSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/alarms',
    {
      schema: {
        tags,
        operationId: 'listAlarms',
        summary: 'Your alarms with their state (admins: all); filter by state or resource',
        querystring: AlarmListQuery,
        response: { 200: ListOf(Type.Ref(AlarmSchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const { state, resourceId } = request.query;
      return alarms.list(authContext(request).actor, { state, resourceId }, page(request.query));
    },
  );

  r.post(
    '/alarms',
    {
      config: { audit: { action: 'alarms.create', resourceType: 'alarm' } },
      schema: {
        tags,
        operationId: 'createAlarm',
        summary: 'Create an alarm, e.g. cpu > 80 (%) for 300 s on an instance; it starts INSUFFICIENT_DATA',
        body: CreateAlarmBody,
        response: { 201: Type.Ref(AlarmSchema), ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await alarms.create(authContext(request), request.body)),
  );

  r.get(
    '/alarms/:id',
    {
      schema: {
        tags,
        operationId: 'getAlarm',
        summary: 'One alarm',
        params: AlarmIdParams,
        response: { 200: Type.Ref(AlarmSchema), ...errorResponses(404) },
      },
    },
    async (request) => alarms.get(authContext(request).actor, request.params.id),
  );

  r.put(
    '/alarms/:id',
    {
      config: { audit: { action: 'alarms.update', resourceType: 'alarm', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'updateAlarm',
        summary: 'Change the condition, the channels, or silence it (silencedUntil)',
        params: AlarmIdParams,
        body: UpdateAlarmBody,
        response: { 200: Type.Ref(AlarmSchema), ...errorResponses(404, 409) },
      },
    },
    async (request) => alarms.update(authContext(request), request.params.id, request.body),
  );

  r.delete(
    '/alarms/:id',
    {
      config: { audit: { action: 'alarms.delete', resourceType: 'alarm', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'deleteAlarm',
        summary: 'Delete an alarm and its history',
        params: AlarmIdParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await alarms.delete(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/alarms/:id/history',
    {
      schema: {
        tags,
        operationId: 'getAlarmHistory',
        summary: 'State transitions, newest first',
        params: AlarmIdParams,
        querystring: HistoryQuery,
        response: { 200: ListOf(Type.Ref(AlarmTransitionSchema)), ...errorResponses(404) },
      },
    },
    async (request) => alarms.history(authContext(request).actor, request.params.id, page(request.query)),
  );
}
