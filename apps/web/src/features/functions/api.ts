import type { components } from '@proxicloud/sdk';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { useInvalidatingMutation } from '../../lib/mutations.ts';

export type Fn = components['schemas']['Function'];
export type Invocation = components['schemas']['FunctionInvocation'];
export type InvokeResult = components['schemas']['FunctionInvokeResult'];
export type Runtime = Fn['runtime'];

export const functionsKey = ['functions'] as const;

export const functionsQuery = (limit: number, offset: number, q?: string) =>
  queryOptions({
    queryKey: [...functionsKey, 'list', { limit, offset, q }] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/functions', { params: { query: { limit, offset, ...(q ? { q } : {}) } } })),
    placeholderData: keepPreviousData,
  });

export const functionQuery = (id: string) =>
  queryOptions({
    queryKey: [...functionsKey, 'one', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/functions/{id}', { params: { path: { id } } })),
  });

export const codeQuery = (id: string, version: number) =>
  queryOptions({
    queryKey: [...functionsKey, 'code', id, version] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/functions/{id}/code', { params: { path: { id }, query: { version } } })),
    staleTime: Number.POSITIVE_INFINITY, // versions are immutable
  });

export const versionsQuery = (id: string) =>
  queryOptions({
    queryKey: [...functionsKey, 'versions', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/functions/{id}/versions', { params: { path: { id } } })),
  });

export const invocationsQuery = (id: string) =>
  queryOptions({
    queryKey: [...functionsKey, 'invocations', id] as const,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/functions/{id}/invocations', { params: { path: { id }, query: { limit: 20 } } }),
      ),
    refetchInterval: 10_000,
  });

export const invocationQuery = (id: string) =>
  queryOptions({
    queryKey: [...functionsKey, 'invocation', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/invocations/{id}', { params: { path: { id } } })),
  });

export const metricsQuery = (id: string, hours = 24) =>
  queryOptions({
    queryKey: [...functionsKey, 'metrics', id, hours] as const,
    queryFn: () =>
      call(() => api.GET('/api/v1/functions/{id}/metrics', { params: { path: { id }, query: { hours } } })),
    refetchInterval: 30_000,
  });

export const schedulesQuery = (id: string) =>
  queryOptions({
    queryKey: [...functionsKey, 'schedules', id] as const,
    queryFn: () => call(() => api.GET('/api/v1/functions/{id}/schedules', { params: { path: { id } } })),
  });

export const runtimesQuery = queryOptions({
  queryKey: [...functionsKey, 'runtimes'] as const,
  queryFn: () => call(() => api.GET('/api/v1/functions/runtimes')),
  staleTime: 60_000,
});

export const createFunction = (body: {
  name: string;
  runtime: Runtime;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  code: { files: Record<string, string> };
}) => call(() => api.POST('/api/v1/functions', { body }));

export const useCreateFunction = () => useInvalidatingMutation(createFunction, [functionsKey]);

export const useUpdateFunction = () =>
  useInvalidatingMutation(
    ({
      id,
      ...body
    }: {
      id: string;
      code?: { files: Record<string, string> };
      memoryMb?: number;
      timeoutSeconds?: number;
      env?: Record<string, string>;
      network?: boolean;
      secretEnv?: Record<string, string>;
      concurrency?: number;
      handler?: string;
      description?: string;
    }) => call(() => api.PUT('/api/v1/functions/{id}', { params: { path: { id } }, body })),
    [functionsKey],
  );

export const useDeleteFunction = () =>
  useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/functions/{id}', { params: { path: { id } } })),
    [functionsKey],
  );

/** Invoke; a throttled answer (429) is a result too, not an error. */
export async function invokeFunction(id: string, payload: unknown): Promise<InvokeResult> {
  const res = await api.POST('/api/v1/functions/{id}/invoke', {
    params: { path: { id } },
    body: { payload },
  });
  if (res.data) return res.data;
  if (res.response.status === 429) return res.error as unknown as InvokeResult;
  return (await call(() => Promise.resolve(res))) as unknown as InvokeResult;
}

export const useSetUrl = () =>
  useInvalidatingMutation(
    ({ id, auth, origins }: { id: string; auth: 'none' | 'iam'; origins: string[] }) =>
      call(() =>
        api.PUT('/api/v1/functions/{id}/url', {
          params: { path: { id } },
          body: { auth, ...(origins.length ? { cors: { allowOrigins: origins } } : { cors: null }) },
        }),
      ),
    [functionsKey],
  );

export const useDeleteUrl = () =>
  useInvalidatingMutation(
    (id: string) => call(() => api.DELETE('/api/v1/functions/{id}/url', { params: { path: { id } } })),
    [functionsKey],
  );

export const useAddSchedule = () =>
  useInvalidatingMutation(
    ({ id, ...body }: { id: string; cron: string; timezone?: string; payload?: unknown }) =>
      call(() => api.POST('/api/v1/functions/{id}/schedules', { params: { path: { id } }, body })),
    [functionsKey],
  );

export const useDeleteSchedule = () =>
  useInvalidatingMutation(
    ({ id, scheduleId }: { id: string; scheduleId: string }) =>
      call(() =>
        api.DELETE('/api/v1/functions/{id}/schedules/{scheduleId}', { params: { path: { id, scheduleId } } }),
      ),
    [functionsKey],
  );

export const useSetAlias = () =>
  useInvalidatingMutation(
    ({ id, name, version }: { id: string; name: string; version: number }) =>
      call(() =>
        api.PUT('/api/v1/functions/{id}/aliases/{name}', {
          params: { path: { id, name } },
          body: { version },
        }),
      ),
    [functionsKey],
  );

export const STARTER: Record<Runtime, { handler: string; files: Record<string, string> }> = {
  nodejs: {
    handler: 'index.handler',
    files: {
      'index.mjs': `export const handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  return { statusCode: 200, body: JSON.stringify({ hello: event.name ?? 'world' }) };
};
`,
    },
  },
  python3: {
    handler: 'app.handler',
    files: {
      'app.py': `import json

def handler(event, context):
    print("event", json.dumps(event))
    return {"statusCode": 200, "body": json.dumps({"hello": event.get("name", "world")})}
`,
    },
  },
  go: {
    handler: 'main.Handler',
    files: {
      'main.go': `package main

import (
	"context"
	"encoding/json"
	"fmt"
)

// The runtime provides main(): it calls Handler for each invocation (built when you deploy).
// The event is decoded into the parameter's type; the result is encoded as JSON.
type Event struct {
	Name string \`json:"name"\`
}

type Response struct {
	StatusCode int    \`json:"statusCode"\`
	Body       string \`json:"body"\`
}

func Handler(ctx context.Context, event Event) (Response, error) {
	fmt.Printf("event %+v\\n", event)
	name := event.Name
	if name == "" {
		name = "world"
	}
	body, _ := json.Marshal(map[string]string{"hello": name})
	return Response{StatusCode: 200, Body: string(body)}, nil
}
`,
    },
  },
};
