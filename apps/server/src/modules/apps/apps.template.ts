/**
 * The app template format, version 1 (docs/apps.md). One JSON Schema (TypeBox) is the contract:
 * published at GET /api/v1/app-templates/schema, checked for every built-in template (test) and
 * every uploaded one (with line-accurate errors for YAML, apps.validate.ts).
 */
import { type Static, Type } from '@sinclair/typebox';

export const TEMPLATE_FORMAT_VERSION = 1;
export const SLUG = '^[a-z][a-z0-9-]{1,47}$';
export const PARAM_KEY = '^[a-z][a-zA-Z0-9]{0,39}$';
export const CATEGORIES = [
  'media',
  'storage',
  'security',
  'monitoring',
  'development',
  'home-automation',
  'other',
] as const;

const Str = (o: Record<string, unknown> = {}) => Type.String(o);

export const AppParameterSchema = Type.Object(
  {
    key: Str({ pattern: PARAM_KEY, description: 'camelCase; becomes PC_PARAM_<KEY> in app.env' }),
    label: Str({ minLength: 1, maxLength: 80 }),
    description: Type.Optional(Str({ maxLength: 500 })),
    type: Type.Union([
      Type.Literal('string'),
      Type.Literal('secret'),
      Type.Literal('int'),
      Type.Literal('bool'),
      Type.Literal('choice'),
    ]),
    required: Type.Optional(
      Type.Boolean({ description: 'default false (a default value also satisfies it)' }),
    ),
    default: Type.Optional(Type.Union([Type.String(), Type.Integer(), Type.Boolean()])),
    generate: Type.Optional(
      Type.Boolean({ description: 'secret only: generate a random 24-character value when none is given' }),
    ),
    pattern: Type.Optional(Str({ maxLength: 200, description: 'string/secret: regular expression' })),
    minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 4096 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    min: Type.Optional(Type.Integer()),
    max: Type.Optional(Type.Integer()),
    choices: Type.Optional(Type.Array(Str({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const AppDownloadSchema = Type.Object(
  {
    name: Str({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'PC_DL_<NAME>_URL/_SHA256 in app.env' }),
    url: Str({ pattern: '^https://', maxLength: 1000 }),
    version: Str({ minLength: 1, maxLength: 64, description: 'exact version of the artefact' }),
    sha256: Type.Union([Str({ pattern: '^[0-9a-f]{64}$' }), Type.Null()], {
      description:
        'SHA-256 of the artefact; setup verifies it (pc_fetch). null only in built-ins awaiting `npm run apps:pin` (deploys refused on a real Proxmox)',
    }),
  },
  { additionalProperties: false },
);

export const AppTemplateSchema = Type.Object(
  {
    formatVersion: Type.Literal(1),
    id: Str({ pattern: SLUG, description: 'lowercase slug' }),
    name: Str({ minLength: 1, maxLength: 80 }),
    description: Str({ minLength: 1, maxLength: 1000 }),
    category: Type.Union(CATEGORIES.map((c) => Type.Literal(c))),
    version: Str({ minLength: 1, maxLength: 64, description: 'the app version this template installs' }),
    logo: Str({
      maxLength: 131_072,
      description:
        'bundled logo: a file name beside a built-in template, or a data:image/svg+xml / data:image/png base64 URI (no remote URLs)',
      pattern: '^(?:[a-z0-9-]+\\.(?:svg|png)|data:image/(?:svg\\+xml|png);base64,[A-Za-z0-9+/=]+)$',
    }),
    base: Type.Object(
      {
        type: Type.Union([Type.Literal('lxc'), Type.Literal('vm')]),
        image: Str({ minLength: 1, maxLength: 255, description: 'catalog template, e.g. debian-12' }),
        features: Type.Optional(
          Type.Object(
            {
              nesting: Type.Optional(
                Type.Boolean({
                  description: 'nested namespaces (systemd services, Docker); on unless false',
                }),
              ),
              keyctl: Type.Optional(Type.Boolean({ description: 'the keyctl() system call (Docker)' })),
              fuse: Type.Optional(Type.Boolean({ description: 'FUSE file systems' })),
            },
            {
              additionalProperties: false,
              description:
                'LXC only: container features set at creation (PVE `features`). Proxmox lets only root@pam set flags other than nesting',
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    minimums: Type.Object(
      {
        vcpu: Type.Integer({ minimum: 1, maximum: 128 }),
        memoryMib: Type.Integer({ minimum: 128, maximum: 1_048_576 }),
        diskGib: Type.Integer({ minimum: 1, maximum: 16_384 }),
      },
      { additionalProperties: false },
    ),
    parameters: Type.Array(AppParameterSchema, { maxItems: 40 }),
    ports: Type.Array(
      Type.Object(
        {
          port: Type.Integer({ minimum: 1, maximum: 65535 }),
          protocol: Type.Union([Type.Literal('tcp'), Type.Literal('udp')]),
          name: Str({ minLength: 1, maxLength: 40 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    volumes: Type.Array(
      Type.Object(
        {
          name: Str({ pattern: '^[a-z][a-z0-9-]{0,30}$' }),
          sizeGib: Type.Integer({ minimum: 1, maximum: 16_384 }),
          mountPath: Str({ pattern: '^/(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+$' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 8 },
    ),
    environment: Type.Record(Str({ pattern: '^[A-Z][A-Z0-9_]{0,63}$' }), Str({ maxLength: 1000 }), {
      description: 'extra variables of app.env; {{param}} and {{ip}} are substituted',
    }),
    downloads: Type.Array(AppDownloadSchema, { maxItems: 20 }),
    setup: Type.Object(
      {
        script: Type.Optional(
          Str({
            maxLength: 65_536,
            description:
              'LXC: bash script pushed with pct push and run with pct exec, argument install|configure|update',
          }),
        ),
        userData: Type.Optional(
          Str({ maxLength: 65_536, description: 'VM: cloud-init user-data (#cloud-config …)' }),
        ),
      },
      { additionalProperties: false },
    ),
    healthCheck: Type.Object(
      {
        type: Type.Union([Type.Literal('http'), Type.Literal('tcp')]),
        port: Type.Integer({ minimum: 1, maximum: 65535 }),
        path: Type.Optional(Str({ pattern: '^/', maxLength: 200 })),
        expectedStatus: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
        timeoutSeconds: Type.Integer({ minimum: 1, maximum: 1800, description: 'total wait for healthy' }),
      },
      { additionalProperties: false },
    ),
    url: Str({ maxLength: 300, description: 'the app URL; {{ip}} is the instance address' }),
    notes: Str({ maxLength: 4000, description: 'post-install notes (markdown-ish text; {{ip}}, {{param}})' }),
  },
  { additionalProperties: false, $id: 'AppTemplateDocument' },
);

export type AppTemplate = Static<typeof AppTemplateSchema>;
export type AppParameter = Static<typeof AppParameterSchema>;
