/** Shapes of the reduced schema in schema/pve-api.json (see scripts/vendor.ts). */

export interface ParamSchema {
  type?: string;
  optional?: 0 | 1;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  default_key?: 0 | 1;
  alias?: string;
  keyAlias?: string;
  requires?: string | ParamSchema;
  typetext?: string;
  format_description?: string;
  /** A named format (`pve-vmid`) or the sub-keys of a property string. */
  format?: string | Record<string, ParamSchema>;
  items?: ParamSchema;
  oneOf?: ParamSchema[];
  properties?: Record<string, ParamSchema>;
  additionalProperties?: 0 | 1;
  'type-property'?: string;
  'instance-types'?: string[];
}

export interface ReturnSchema {
  type?: string;
  optional?: 0 | 1;
  items?: ReturnSchema;
  properties?: Record<string, ReturnSchema>;
}

export interface MethodSchema {
  name: string;
  allowtoken: 0 | 1;
  protected: 0 | 1;
  proxyto?: string;
  parameters: { additionalProperties: 0 | 1; properties: Record<string, ParamSchema> };
  returns: ReturnSchema;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface PveApiSchema {
  source: { description: string; pveVersion: string; sha256: string; paths: number; methods: number };
  paths: Record<string, Partial<Record<HttpMethod, MethodSchema>>>;
}

/** A parameter value as it arrives: form fields are strings, JSON bodies may carry other types. */
export type ParamValue = string | number | boolean | null | ParamValue[] | { [k: string]: ParamValue };
