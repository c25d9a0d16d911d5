import { Type } from '@sinclair/typebox';
import { PageQuery, StringEnum, Timestamp } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';

export const STACK_NAME = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';

export const StackNameParams = Type.Object(
  { name: Type.String({ pattern: STACK_NAME }) },
  { additionalProperties: false },
);
export const StackListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

const Any = Type.Unknown();
const Variables = Type.Record(Type.String(), Any, {
  description: 'variable values (the CLI resolves --var, --var-file and PROXICLOUD_VAR_*)',
});
const Document = Type.String({
  minLength: 1,
  maxLength: 1_048_576,
  description: 'the infrastructure file (YAML or JSON text)',
});

export const PlanBody = Type.Object(
  { document: Document, variables: Type.Optional(Variables) },
  { additionalProperties: false },
);
export const ApplyBody = Type.Object(
  {
    document: Document,
    variables: Type.Optional(Variables),
    expectedStateHash: Type.Optional(
      Type.String({ description: 'from a saved plan: refuse (409 state_moved) if the stack changed since' }),
    ),
  },
  { additionalProperties: false },
);
export const DestroyBody = Type.Object(
  { expectedStateHash: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

const FieldChange = Type.Object(
  {
    field: Type.String(),
    before: Type.Optional(Any),
    after: Type.Optional(Any),
    forcesReplacement: Type.Boolean(),
    sensitive: Type.Optional(
      Type.Boolean({
        description: 'a sensitive field: before/after are sha256:… of the value, never the value',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PlanSchema = Type.Object(
  {
    stack: Type.String(),
    stateHash: Type.String({ description: 'sha-256 of the state this plan was computed against' }),
    specHash: Type.String(),
    summary: Type.Object({
      create: Type.Integer(),
      update: Type.Integer(),
      replace: Type.Integer(),
      delete: Type.Integer(),
      noop: Type.Integer(),
    }),
    changes: Type.Array(
      Type.Object({
        address: Type.String({ description: 'kind.name, e.g. instances.web' }),
        kind: Type.String(),
        name: Type.String(),
        action: StringEnum(['create', 'update', 'replace', 'delete', 'no-op'] as const),
        id: Type.Optional(Type.String()),
        changes: Type.Array(FieldChange),
        drift: Type.Array(FieldChange, {
          description: 'fields changed outside ProxiCloud since the last apply',
        }),
        spec: Type.Optional(Type.Record(Type.String(), Any)),
        dependsOn: Type.Array(Type.String()),
        reason: Type.Optional(Type.String()),
      }),
    ),
  },
  { $id: 'StackPlan' },
);

export const StackSchema = Type.Object(
  {
    id: Type.String({ description: 'stk-…' }),
    name: Type.String(),
    ownerId: Type.String(),
    status: StringEnum(['empty', 'applying', 'applied', 'failed', 'destroyed'] as const),
    resourceCount: Type.Integer(),
    specHash: Type.Union([Type.String(), Type.Null()], { description: 'hash of the last applied file' }),
    stateHash: Type.String(),
    locked: Type.Boolean({ description: 'an apply is running' }),
    operationId: Type.Union([Type.String(), Type.Null()], {
      description: 'the running apply/destroy operation (GET /operations/{id})',
    }),
    lastAppliedAt: Type.Union([Timestamp, Type.Null()]),
    lastAppliedBy: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Stack', additionalProperties: false },
);

const HistoryEntry = Type.Object({
  id: Type.String(),
  action: StringEnum(['apply', 'destroy', 'import'] as const),
  status: StringEnum(['running', 'succeeded', 'failed'] as const),
  userId: Type.String(),
  username: Type.String(),
  specHash: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Record(Type.String(), Type.Integer()),
  changes: Type.Array(
    Type.Object({ address: Type.String(), action: Type.String(), fields: Type.Array(Type.String()) }),
  ),
  error: Type.Union([Type.String(), Type.Null()]),
  startedAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
  operationId: Type.Union([Type.String(), Type.Null()], { description: 'the operation that ran it' }),
});

export const StackDetailSchema = Type.Object(
  {
    ...StackSchema.properties,
    document: Type.Union([Type.String(), Type.Null()], { description: 'the last applied file' }),
    resources: Type.Array(
      Type.Object({
        address: Type.String(),
        kind: Type.String(),
        name: Type.String(),
        id: Type.String(),
        outputs: Type.Record(Type.String(), Any),
      }),
    ),
    history: Type.Array(HistoryEntry),
  },
  { $id: 'StackDetail' },
);

export const PlanResponse = Type.Object({
  plan: Type.Ref(PlanSchema),
  stack: Type.Union([Type.Ref(StackSchema), Type.Null()]),
});

export const RunResponse = Type.Object(
  {
    result: StringEnum(['started', 'no-changes'] as const, {
      description: 'started: the operation applies the plan (202); no-changes: nothing was written (200)',
    }),
    plan: Type.Ref(PlanSchema),
    operation: Type.Union([Type.Ref(OperationSchema), Type.Null()], {
      description: 'one step per resource (remove:<address>, apply:<address>); follow it at /operations/{id}',
    }),
    stack: Type.Ref(StackSchema),
  },
  { $id: 'StackRun' },
);

export const ImportResponse = Type.Object({
  imported: Type.Array(Type.Object({ address: Type.String(), id: Type.String() })),
  notFound: Type.Array(Type.String(), { description: 'addresses with no existing object of that name' }),
  stack: Type.Ref(StackSchema),
});
