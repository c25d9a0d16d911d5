// TEMPORARY: mirrors /work/notes/api-contract.md until packages/sdk lands; replaced by the SDK's generated types.
type Json<T> = { content: { 'application/json': T } };
type Err = { error: { code: string; message: string; details?: Record<string, unknown>; requestId: string } };
type E = { 400: Json<Err>; 401: Json<Err>; 403: Json<Err>; 404: Json<Err>; 409: Json<Err>; 429: Json<Err> };
export type User = {
  id: string;
  username: string;
  fullName: string;
  role: 'admin' | 'operator' | 'readonly';
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
};
type Session = {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  user: User;
};
type List<T> = { items: T[]; total: number; limit: number; offset: number };
type AccessKey = {
  accessKeyId: string;
  description: string;
  status: string;
  createdAt: string;
  lastUsedAt: string | null;
};
type AuditEntry = {
  id: number;
  timestamp: string;
  userId: string | null;
  username: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  sourceIp: string;
  result: 'success' | 'failure' | 'denied';
  requestId: string;
  details: Record<string, unknown> | null;
  hash: string;
  prevHash: string;
};
type Q = {
  username?: string;
  userId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  result?: 'success' | 'failure' | 'denied';
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
};
export interface paths {
  '/api/v1/auth/login': {
    post: {
      requestBody: Json<{ username: string; password: string }>;
      responses: { 200: Json<Session> } & E;
    };
  };
  '/api/v1/auth/refresh': {
    post: { requestBody?: Json<{ refreshToken?: string }>; responses: { 200: Json<Session> } & E };
  };
  '/api/v1/auth/logout': {
    post: { requestBody?: Json<{ refreshToken?: string }>; responses: { 204: { content?: never } } & E };
  };
  '/api/v1/auth/me': { get: { responses: { 200: Json<{ user: User; permissions: string[] }> } & E } };
  '/api/v1/auth/password': {
    put: {
      requestBody: Json<{ currentPassword: string; newPassword: string }>;
      responses: { 204: { content?: never } } & E;
    };
  };
  '/api/v1/users': {
    get: {
      parameters: {
        query?: { limit?: number; offset?: number; role?: User['role']; status?: User['status']; q?: string };
      };
      responses: { 200: Json<List<User>> } & E;
    };
    post: {
      requestBody: Json<{ username: string; fullName?: string; password: string; role: User['role'] }>;
      responses: { 201: Json<User> } & E;
    };
  };
  '/api/v1/users/{id}': {
    get: { parameters: { path: { id: string } }; responses: { 200: Json<User> } & E };
    put: {
      parameters: { path: { id: string } };
      requestBody: Json<{ fullName?: string; role?: User['role']; status?: User['status'] }>;
      responses: { 200: Json<User> } & E;
    };
    delete: {
      parameters: { path: { id: string }; query?: { reassignTo?: string } };
      responses: { 204: { content?: never } } & E;
    };
  };
  '/api/v1/users/{id}/password': {
    post: {
      parameters: { path: { id: string } };
      requestBody: Json<{ password: string }>;
      responses: { 204: { content?: never } } & E;
    };
  };
  '/api/v1/roles': {
    get: {
      responses: { 200: Json<{ items: { name: string; description: string; permissions: string[] }[] }> } & E;
    };
  };
  '/api/v1/access-keys': {
    get: {
      parameters: { query?: { limit?: number; offset?: number } };
      responses: { 200: Json<List<AccessKey>> } & E;
    };
    post: {
      requestBody: Json<{ description?: string }>;
      responses: { 201: Json<AccessKey & { secretAccessKey: string }> } & E;
    };
  };
  '/api/v1/access-keys/{accessKeyId}': {
    delete: { parameters: { path: { accessKeyId: string } }; responses: { 204: { content?: never } } & E };
  };
  '/api/v1/logs/audit': {
    get: { parameters: { query?: Q }; responses: { 200: Json<List<AuditEntry>> } & E };
  };
  '/api/v1/logs/audit/verify': {
    get: {
      responses: {
        200: Json<{
          valid: boolean;
          checked: number;
          firstBrokenId: number | null;
          reason: string | null;
          checkpoint: { id: number; hash: string } | null;
        }>;
      } & E;
    };
  };
  '/api/v1/system/info': {
    get: {
      responses: {
        200: Json<{ version: string; mode: 'demo' | 'proxmox'; proxmox: { nodes: string[] } | null }>;
      };
    };
  };
}
