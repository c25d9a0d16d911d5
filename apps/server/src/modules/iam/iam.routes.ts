import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import { authContext, contextOf } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import { sendSharedJson } from '../../platform/http/shared-json.ts';
import type { AccessKeysService } from './iam.access-keys.service.ts';
import type { AuthService } from './iam.auth.service.ts';
import { assertCsrf, clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from './iam.cookies.ts';
import { permissionsOf, ROLE_NAMES, ROLES } from './iam.permissions.ts';
import {
  AccessKeyListQuery,
  AccessKeyParams,
  AccessKeySchema,
  ChangePasswordBody,
  CreateAccessKeyBody,
  CreatedAccessKeySchema,
  CreateUserBody,
  DeleteUserQuery,
  LoginBody,
  MeSchema,
  RefreshBody,
  ResetPasswordBody,
  RoleListSchema,
  SessionSchema,
  UpdateUserBody,
  UserIdParams,
  UserListQuery,
  UserSchema,
} from './iam.schemas.ts';
import type { UsersService } from './iam.users.service.ts';

export interface IamRouteDeps {
  config: Config;
  auth: AuthService;
  users: UsersService;
  accessKeys: AccessKeysService;
}

/** HTTP translation only: parse, call the service, shape the answer. */
export async function iamRoutes(app: FastifyInstance, deps: IamRouteDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, users, accessKeys, config } = deps;

  // ---- auth ----
  r.post(
    '/auth/login',
    {
      config: { public: true, audit: false },
      schema: {
        tags: ['auth'],
        operationId: 'login',
        summary: 'Log in with username and password; returns tokens and sets the session cookies',
        security: [],
        body: LoginBody,
        response: { 200: Type.Ref(SessionSchema), ...errorResponses(429) },
      },
    },
    async (request, reply) => {
      const session = await auth.login(contextOf(request), request.body.username, request.body.password);
      setSessionCookies(reply, request, config, session);
      return session;
    },
  );

  r.post(
    '/auth/refresh',
    {
      config: { public: true, audit: false },
      schema: {
        tags: ['auth'],
        operationId: 'refresh',
        summary: 'Exchange a refresh token (body, or the pc_refresh cookie + X-CSRF-Token) for a new session',
        security: [],
        body: Type.Optional(RefreshBody),
        response: { 200: Type.Ref(SessionSchema), ...errorResponses() },
      },
    },
    async (request, reply) => {
      let token = request.body?.refreshToken;
      if (!token) {
        token = request.cookies[REFRESH_COOKIE];
        if (token) assertCsrf(request, config, await auth.sessionOfRefreshToken(token));
      }
      if (!token)
        throw new UnauthorizedError('No refresh token (body or pc_refresh cookie)', 'invalid_refresh_token');
      try {
        const session = await auth.refresh(contextOf(request), token);
        setSessionCookies(reply, request, config, session);
        return session;
      } catch (err) {
        if (err instanceof UnauthorizedError) clearSessionCookies(reply, request, config);
        throw err;
      }
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { public: true, audit: false },
      schema: {
        tags: ['auth'],
        operationId: 'logout',
        summary:
          'Revoke the session (refresh token in the body or cookie, and/or the caller’s session); clears cookies',
        body: Type.Optional(RefreshBody),
        response: { 204: NoContent, ...errorResponses() },
      },
    },
    async (request, reply) => {
      let token = request.body?.refreshToken ?? null;
      const cookieToken = request.cookies[REFRESH_COOKIE];
      if (!token && cookieToken) {
        assertCsrf(request, config, await auth.sessionOfRefreshToken(cookieToken));
        token = cookieToken;
      }
      await auth.logout(contextOf(request), token);
      clearSessionCookies(reply, request, config);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        operationId: 'getMe',
        summary: 'The authenticated user and their permissions',
        response: { 200: Type.Ref(MeSchema), ...errorResponses() },
      },
    },
    async (request) => auth.me(authContext(request).actor),
  );

  r.put(
    '/auth/password',
    {
      config: { audit: false },
      schema: {
        tags: ['auth'],
        operationId: 'changePassword',
        summary: 'Change your own password (other sessions are revoked)',
        body: ChangePasswordBody,
        response: { 204: NoContent, ...errorResponses(422) },
      },
    },
    async (request, reply) => {
      await auth.changePassword(authContext(request), request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  // ---- users ----
  r.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        operationId: 'listUsers',
        summary: 'List users (admin)',
        querystring: UserListQuery,
        response: { 200: ListOf(Type.Ref(UserSchema)), ...errorResponses() },
      },
    },
    async (request, reply) => {
      const { role, status, q } = request.query;
      // A cached page (until the users table changes) and its serialized bytes.
      return sendSharedJson(
        reply,
        await users.list(authContext(request).actor, { role, status, q }, page(request.query)),
      );
    },
  );

  r.post(
    '/users',
    {
      config: { audit: { action: 'users.create', resourceType: 'user' } },
      schema: {
        tags: ['users'],
        operationId: 'createUser',
        summary: 'Create a user (admin)',
        body: CreateUserBody,
        response: { 201: Type.Ref(UserSchema), ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const user = await users.create(authContext(request), request.body);
      return reply.status(201).send(user);
    },
  );

  r.get(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        operationId: 'getUser',
        summary: 'Get a user (admin, or yourself)',
        params: UserIdParams,
        response: { 200: Type.Ref(UserSchema), ...errorResponses(404) },
      },
    },
    async (request) => users.get(authContext(request).actor, request.params.id),
  );

  r.put(
    '/users/:id',
    {
      config: { audit: { action: 'users.update', resourceType: 'user', resourceIdParam: 'id' } },
      schema: {
        tags: ['users'],
        operationId: 'updateUser',
        summary: 'Update a user (admin; you may change your own fullName)',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: Type.Ref(UserSchema), ...errorResponses(404, 409) },
      },
    },
    async (request) => users.update(authContext(request), request.params.id, request.body),
  );

  r.delete(
    '/users/:id',
    {
      config: { audit: { action: 'users.delete', resourceType: 'user', resourceIdParam: 'id' } },
      schema: {
        tags: ['users'],
        operationId: 'deleteUser',
        summary: 'Delete a user (admin). 409 user_owns_resources unless reassignTo is given',
        params: UserIdParams,
        querystring: DeleteUserQuery,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await users.delete(authContext(request), request.params.id, request.query.reassignTo);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/users/:id/password',
    {
      config: { audit: { action: 'users.reset_password', resourceType: 'user', resourceIdParam: 'id' } },
      schema: {
        tags: ['users'],
        operationId: 'resetUserPassword',
        summary: 'Set a user’s password (admin); revokes their sessions and clears a lockout',
        params: UserIdParams,
        body: ResetPasswordBody,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await users.resetPassword(authContext(request), request.params.id, request.body.password);
      return reply.status(204).send(null);
    },
  );

  // ---- roles ----
  r.get(
    '/roles',
    {
      schema: {
        tags: ['roles'],
        operationId: 'listRoles',
        summary: 'The built-in roles and their permissions',
        response: { 200: RoleListSchema, ...errorResponses() },
      },
    },
    async () => ({
      items: ROLE_NAMES.map((name) => ({
        name,
        description: ROLES[name].description,
        permissions: permissionsOf(name),
      })),
    }),
  );

  // ---- access keys ----
  r.get(
    '/access-keys',
    {
      schema: {
        tags: ['access-keys'],
        operationId: 'listAccessKeys',
        summary: 'Your access keys (admins may pass userId)',
        querystring: AccessKeyListQuery,
        response: { 200: ListOf(Type.Ref(AccessKeySchema)), ...errorResponses() },
      },
    },
    async (request) => accessKeys.list(authContext(request).actor, request.query.userId, page(request.query)),
  );

  r.post(
    '/access-keys',
    {
      config: { audit: { action: 'access_keys.create', resourceType: 'access_key' } },
      schema: {
        tags: ['access-keys'],
        operationId: 'createAccessKey',
        summary: 'Create an access key; the secret is returned once',
        body: Type.Optional(CreateAccessKeyBody),
        response: { 201: Type.Ref(CreatedAccessKeySchema), ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const key = await accessKeys.create(authContext(request), request.body?.description ?? '');
      return reply.status(201).send(key);
    },
  );

  r.delete(
    '/access-keys/:accessKeyId',
    {
      config: {
        audit: { action: 'access_keys.delete', resourceType: 'access_key', resourceIdParam: 'accessKeyId' },
      },
      schema: {
        tags: ['access-keys'],
        operationId: 'deleteAccessKey',
        summary: 'Delete an access key (yours; admins: anyone’s)',
        params: AccessKeyParams,
        response: { 204: NoContent, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await accessKeys.delete(authContext(request), request.params.accessKeyId);
      return reply.status(204).send(null);
    },
  );
}
