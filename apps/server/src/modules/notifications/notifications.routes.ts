import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import {
  ChannelIdParams,
  ChannelListQuery,
  CreateChannelBody,
  CreatedNotificationChannelSchema,
  DeliverySchema,
  NotificationChannelSchema,
  NotificationSettingsSchema,
  UpdateChannelBody,
  UpdateSettingsBody,
} from './notifications.schemas.ts';
import type { NotificationsService } from './notifications.service.ts';

const tags = ['notifications'];

export async function notificationsRoutes(
  app: FastifyInstance,
  service: NotificationsService,
): Promise<void> {
  app.addSchema(NotificationChannelSchema);
  app.addSchema(CreatedNotificationChannelSchema);
  app.addSchema(DeliverySchema);
  app.addSchema(NotificationSettingsSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/notification-channels',
    {
      schema: {
        tags,
        operationId: 'listNotificationChannels',
        summary: 'Your notification channels (admins: all)',
        querystring: ChannelListQuery,
        response: { 200: ListOf(Type.Ref(NotificationChannelSchema)), ...errorResponses() },
      },
    },
    async (request) => service.list(authContext(request).actor, page(request.query)),
  );

  r.post(
    '/notification-channels',
    {
      config: { audit: { action: 'notification_channels.create', resourceType: 'notification_channel' } },
      schema: {
        tags,
        operationId: 'createNotificationChannel',
        summary:
          'Create an e-mail, webhook (HMAC-signed JSON POST) or push (ntfy/Gotify) channel; secrets are never returned afterwards',
        body: CreateChannelBody,
        response: { 201: Type.Ref(CreatedNotificationChannelSchema), ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const created = await service.create(authContext(request), request.body);
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  r.get(
    '/notification-channels/:id',
    {
      schema: {
        tags,
        operationId: 'getNotificationChannel',
        summary: 'One notification channel (without its secret)',
        params: ChannelIdParams,
        response: { 200: Type.Ref(NotificationChannelSchema), ...errorResponses(404) },
      },
    },
    async (request) => service.get(authContext(request).actor, request.params.id),
  );

  r.put(
    '/notification-channels/:id',
    {
      config: {
        audit: {
          action: 'notification_channels.update',
          resourceType: 'notification_channel',
          resourceIdParam: 'id',
        },
      },
      schema: {
        tags,
        operationId: 'updateNotificationChannel',
        summary: 'Rename, enable/disable or change the settings of a channel (a secret left out is kept)',
        params: ChannelIdParams,
        body: UpdateChannelBody,
        response: { 200: Type.Ref(NotificationChannelSchema), ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => service.update(authContext(request), request.params.id, request.body),
  );

  r.delete(
    '/notification-channels/:id',
    {
      config: {
        audit: {
          action: 'notification_channels.delete',
          resourceType: 'notification_channel',
          resourceIdParam: 'id',
        },
      },
      schema: {
        tags,
        operationId: 'deleteNotificationChannel',
        summary: 'Delete a channel and its delivery log (alarms and backup plans naming it skip it)',
        params: ChannelIdParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await service.delete(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/notification-channels/:id/test',
    {
      config: {
        audit: {
          action: 'notification_channels.test',
          resourceType: 'notification_channel',
          resourceIdParam: 'id',
        },
      },
      schema: {
        tags,
        operationId: 'testNotificationChannel',
        summary: 'Send a test message now; the answer is the delivery with its outcome (no retries)',
        params: ChannelIdParams,
        response: { 200: Type.Ref(DeliverySchema), ...errorResponses(404) },
      },
    },
    async (request) => service.test(authContext(request), request.params.id),
  );

  r.get(
    '/notification-channels/:id/deliveries',
    {
      schema: {
        tags,
        operationId: 'listNotificationDeliveries',
        summary: 'The delivery log of a channel, newest first (kept 30 days)',
        params: ChannelIdParams,
        querystring: ChannelListQuery,
        response: { 200: ListOf(Type.Ref(DeliverySchema)), ...errorResponses(404) },
      },
    },
    async (request) => service.deliveries(authContext(request).actor, request.params.id, page(request.query)),
  );

  r.get(
    '/notification-settings',
    {
      schema: {
        tags,
        operationId: 'getNotificationSettings',
        summary: 'Admin: the SMTP server e-mail channels use and the private-target policy',
        response: { 200: Type.Ref(NotificationSettingsSchema), ...errorResponses() },
      },
    },
    async (request) => service.settings.get(authContext(request).actor),
  );

  r.put(
    '/notification-settings',
    {
      config: { audit: { action: 'notification_settings.update', resourceType: 'notification_settings' } },
      schema: {
        tags,
        operationId: 'updateNotificationSettings',
        summary: 'Admin: set the SMTP server (password write-only) and whether private targets are allowed',
        body: UpdateSettingsBody,
        response: { 200: Type.Ref(NotificationSettingsSchema), ...errorResponses() },
      },
    },
    async (request) => service.settings.update(authContext(request), request.body),
  );
}
