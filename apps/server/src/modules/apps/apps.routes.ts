import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../platform/errors.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, PageQuery, page } from '../../platform/http/schemas.ts';
import { type AppCatalog, templateSummary } from './apps.catalog.ts';
import {
  AppIdParams,
  AppLogsQuery,
  AppLogsSchema,
  AppOperationSchema,
  AppSchema,
  AppTemplateDetailSchema,
  AppTemplateSummarySchema,
  DeleteAppQuery,
  DeployAppBody,
  ImportAppTemplateBody,
  TemplateIdParams,
} from './apps.schemas.ts';
import type { AppsService } from './apps.service.ts';
import { AppTemplateSchema } from './apps.template.ts';

export async function appsRoutes(
  app: FastifyInstance,
  { apps, catalog }: { apps: AppsService; catalog: AppCatalog },
): Promise<void> {
  app.addSchema(AppTemplateSchema);
  app.addSchema(AppTemplateSummarySchema);
  app.addSchema(AppTemplateDetailSchema);
  app.addSchema(AppSchema);
  app.addSchema(AppOperationSchema);
  app.addSchema(AppLogsSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['apps'];

  r.get(
    '/app-templates',
    {
      schema: {
        tags,
        operationId: 'listAppTemplates',
        summary: 'The app catalog: built-in templates, yours and shared ones',
        response: { 200: ListOf(Type.Ref(AppTemplateSummarySchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const items = (await catalog.list(authContext(request).actor)).map(templateSummary);
      return { items, total: items.length, limit: items.length, offset: 0 };
    },
  );

  r.get(
    '/app-templates/schema',
    {
      schema: {
        tags,
        operationId: 'getAppTemplateSchema',
        summary: 'The JSON Schema of the app template format (version 1)',
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses() },
      },
    },
    async (_request, reply) => {
      const { $id: _id, ...schema } = AppTemplateSchema as unknown as Record<string, unknown>;
      reply.header('content-type', 'application/schema+json; charset=utf-8');
      return {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: '/api/v1/app-templates/schema',
        title: 'ProxiCloud app template (formatVersion 1)',
        ...(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>),
      };
    },
  );

  r.get(
    '/app-templates/:id',
    {
      schema: {
        tags,
        operationId: 'getAppTemplate',
        summary: 'One template with its parameters, setup and health check',
        params: TemplateIdParams,
        response: { 200: Type.Ref(AppTemplateDetailSchema), ...errorResponses(404) },
      },
    },
    async (request) => {
      const t = await catalog.get(authContext(request).actor, request.params.id);
      return { ...templateSummary(t), template: t.template };
    },
  );

  r.get(
    '/app-templates/:id/logo',
    {
      schema: {
        tags,
        operationId: 'getAppTemplateLogo',
        summary: 'The bundled logo (SVG or PNG)',
        params: TemplateIdParams,
        response: { ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const { actor } = authContext(request);
      const logo = catalog.logo(request.params.id) ?? (await catalog.customLogo(actor, request.params.id));
      if (!logo) throw new NotFoundError('Logo of app template', request.params.id);
      return reply
        .header('content-type', logo.type)
        .header('cache-control', 'private, max-age=3600')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(logo.body);
    },
  );

  r.post(
    '/app-templates',
    {
      config: { audit: { action: 'app_templates.create', resourceType: 'app_template' } },
      schema: {
        tags,
        operationId: 'createAppTemplate',
        summary:
          'Add a custom template: the template as the JSON body, or {text} (YAML/JSON) or {gitUrl}; 422 invalid_template lists problems with their lines',
        body: Type.Object(
          {},
          {
            additionalProperties: true,
            description:
              'An AppTemplateDocument (GET /app-templates/schema), or an import: ' +
              JSON.stringify(Object.keys(ImportAppTemplateBody.properties)),
          },
        ),
        response: { 201: Type.Ref(AppTemplateDetailSchema), ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const ctx = authContext(request);
      const isImport = 'text' in body || 'gitUrl' in body;
      const t = await catalog.create(
        ctx,
        isImport
          ? {
              ...(typeof body.text === 'string' ? { text: body.text } : {}),
              ...(typeof body.gitUrl === 'string' ? { gitUrl: body.gitUrl } : {}),
              shared: body.shared === true,
              replace: body.replace === true,
            }
          : { document: body },
      );
      return reply.status(201).send({ ...templateSummary(t), template: t.template });
    },
  );

  r.delete(
    '/app-templates/:id',
    {
      config: { audit: { action: 'app_templates.delete', resourceType: 'app_template' } },
      schema: {
        tags,
        operationId: 'deleteAppTemplate',
        summary: 'Delete one of your custom templates (deployed apps keep running)',
        params: TemplateIdParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await catalog.remove(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/apps',
    {
      config: { audit: { action: 'apps.deploy', resourceType: 'app' } },
      schema: {
        tags,
        operationId: 'deployApp',
        summary:
          'Deploy an app: parameters checked first (400/422, nothing created), then one operation (creating → installing → configuring → health-check → ready)',
        body: DeployAppBody,
        response: { 202: Type.Ref(AppOperationSchema), ...errorResponses(404, 409, 422, 503) },
      },
    },
    async (request, reply) => reply.status(202).send(await apps.deploy(authContext(request), request.body)),
  );

  r.get(
    '/apps',
    {
      schema: {
        tags,
        operationId: 'listApps',
        summary: 'Your deployed apps with their status, health and URL',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: ListOf(Type.Ref(AppSchema)), ...errorResponses() },
      },
    },
    async (request) => apps.list(authContext(request).actor, page(request.query)),
  );

  r.get(
    '/apps/:id',
    {
      schema: {
        tags,
        operationId: 'getApp',
        params: AppIdParams,
        response: { 200: Type.Ref(AppSchema), ...errorResponses(404) },
      },
    },
    async (request) => apps.get(authContext(request).actor, request.params.id),
  );

  r.get(
    '/apps/:id/logs',
    {
      schema: {
        tags,
        operationId: 'getAppLogs',
        summary: 'Setup log lines (per step), oldest first; poll with ?after=<next>',
        params: AppIdParams,
        querystring: AppLogsQuery,
        response: { 200: Type.Ref(AppLogsSchema), ...errorResponses(404) },
      },
    },
    async (request) =>
      apps.logs(
        authContext(request).actor,
        request.params.id,
        request.query.after ?? 0,
        request.query.limit ?? 1000,
      ),
  );

  r.post(
    '/apps/:id/update',
    {
      config: { audit: { action: 'apps.update', resourceType: 'app' } },
      schema: {
        tags,
        operationId: 'updateApp',
        summary:
          "Update to the catalog's newer version: volume snapshots first, then the template's update step",
        params: AppIdParams,
        response: { 202: Type.Ref(AppOperationSchema), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await apps.update(authContext(request), request.params.id)),
  );

  r.delete(
    '/apps/:id',
    {
      config: { audit: { action: 'apps.delete', resourceType: 'app' } },
      schema: {
        tags,
        operationId: 'deleteApp',
        summary:
          'Remove an app: terminates its instance; ?deleteVolumes=true also deletes its volumes (needs ?confirm=)',
        params: AppIdParams,
        querystring: DeleteAppQuery,
        response: { 202: Type.Ref(AppOperationSchema), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(
        await apps.remove(authContext(request), request.params.id, {
          ...(request.query.confirm !== undefined ? { confirm: request.query.confirm } : {}),
          ...(request.query.deleteVolumes !== undefined
            ? { deleteVolumes: request.query.deleteVolumes }
            : {}),
        }),
      ),
  );
}
