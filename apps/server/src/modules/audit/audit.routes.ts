import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../platform/errors.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, page } from '../../platform/http/schemas.ts';
import type { AuditFilter } from './audit.repository.ts';
import {
  AuditEntrySchema,
  type AuditFilterQuery,
  AuditFilterQuery as AuditFilterQuerySchema,
  AuditListQuery,
  VerifyReportSchema,
} from './audit.schemas.ts';
import type { AuditEntry, AuditService } from './audit.service.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function bound(value: string | undefined, name: string, endOfDay: boolean): string | undefined {
  if (value === undefined || value === '') return undefined;
  const d = new Date(
    DATE_ONLY.test(value) ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : value,
  );
  if (Number.isNaN(d.getTime())) {
    throw new ValidationError(`Invalid request: querystring.${name} must be an ISO date or date-time`, {
      issues: [{ field: `querystring.${name}`, message: 'must be an ISO date or date-time' }],
    });
  }
  return d.toISOString();
}

export function toFilter(q: AuditFilterQuery): AuditFilter {
  const filter: AuditFilter = {
    userId: q.userId,
    username: q.username,
    action: q.action,
    resourceType: q.resourceType,
    resourceId: q.resourceId,
    result: q.result,
    from: bound(q.from, 'from', false),
    to: bound(q.to, 'to', true),
  };
  return filter;
}

const CSV_COLUMNS: (keyof AuditEntry)[] = [
  'id',
  'timestamp',
  'userId',
  'username',
  'action',
  'resourceType',
  'resourceId',
  'sourceIp',
  'result',
  'requestId',
  'details',
  'prevHash',
  'hash',
];

/** RFC 4180 field; cells starting with = + - @ are prefixed with ' (spreadsheet formula injection). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s =
    typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(entry: AuditEntry): string {
  return `${CSV_COLUMNS.map((c) => csvField(entry[c])).join(',')}\r\n`;
}

export async function auditRoutes(app: FastifyInstance, audit: AuditService): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/logs/audit',
    {
      schema: {
        tags: ['audit'],
        operationId: 'listAuditEntries',
        summary: 'List audit entries (newest first). Admins see all entries; others only their own.',
        querystring: AuditListQuery,
        response: { 200: ListOf(Type.Ref(AuditEntrySchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const ctx = authContext(request);
      return audit.list(ctx.actor, toFilter(request.query), page(request.query));
    },
  );

  r.get(
    '/logs/audit.csv',
    {
      schema: {
        tags: ['audit'],
        operationId: 'exportAuditEntriesCsv',
        summary: 'Export matching audit entries as CSV (oldest first, streamed).',
        querystring: AuditFilterQuerySchema,
        produces: ['text/csv'],
        response: {
          200: Type.String({ description: `CSV with header ${CSV_COLUMNS.join(',')}` }),
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      const ctx = authContext(request);
      const entries = audit.stream(ctx.actor, toFilter(request.query));
      const log = request.log;
      async function* lines() {
        yield `${CSV_COLUMNS.join(',')}\r\n`;
        try {
          for await (const entry of entries) yield csvLine(entry);
        } catch (err) {
          log.error({ err }, 'audit CSV export failed mid-stream');
          throw err;
        }
      }
      const stamp = new Date().toISOString().slice(0, 10);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`);
      // The 200 schema documents the CSV text; the payload is a stream (not serialised).
      return reply.send(Readable.from(lines()) as unknown as string);
    },
  );

  r.get(
    '/logs/audit/verify',
    {
      schema: {
        tags: ['audit'],
        operationId: 'verifyAuditChain',
        summary: 'Verify the hash chain from the latest checkpoint; reports the first broken link (admin).',
        response: { 200: Type.Ref(VerifyReportSchema), ...errorResponses() },
      },
    },
    async (request) => audit.verify(authContext(request).actor),
  );
}
