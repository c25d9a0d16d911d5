/** What every SDK-backed provider shares: answer unwrapping, paging, operation waits. */
import type { Observed } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';

/** An API answer that was not 2xx, with the API's error code (e.g. `not_found`). */
export class ProviderApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ProviderApiError';
    this.status = status;
    this.code = code;
  }
}

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export async function ok<T>(call: Promise<Result<T>>, what: string): Promise<T> {
  const result = await call;
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as { error?: { code?: string; message?: string } };
  throw new ProviderApiError(
    result.response.status,
    body.error?.code ?? `http_${result.response.status}`,
    `${what}: ${body.error?.message ?? result.response.statusText}`,
  );
}

/** Like `ok`, but a 404 answers undefined (deleting something already gone is success). */
export async function okOrGone<T>(call: Promise<Result<T>>, what: string): Promise<T | undefined> {
  try {
    return await ok(call, what);
  } catch (err) {
    if (err instanceof ProviderApiError && err.status === 404) return undefined;
    throw err;
  }
}

export const PAGE = 1000;

/** Fetch every page of a list endpoint (1 call per 1,000 items). */
export async function listAll<T>(
  fetchPage: (offset: number) => Promise<Result<{ items: T[]; total: number }>>,
  what: string,
): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await ok(fetchPage(offset), what);
    items.push(...page.items);
    if (page.items.length < PAGE || items.length >= page.total) return items;
  }
}

/**
 * `readAll` and `lookup` of a kind whose objects one list call returns: by id, and by name.
 * `live` leaves out objects on their way out (e.g. deleted secrets kept for recovery).
 */
export function readsFromList<T extends { id: string; name: string }>(
  list: (ctx: ProviderContext) => Promise<T[]>,
  observe: (item: T) => Observed,
  live: (item: T) => boolean = () => true,
): Pick<Provider, 'readAll' | 'lookup'> {
  return {
    async readAll(ctx, ids) {
      const want = new Set(ids);
      return new Map(
        (await list(ctx)).filter((x) => want.has(x.id) && live(x)).map((x) => [x.id, observe(x)]),
      );
    },
    async lookup(ctx, name) {
      const found = (await list(ctx)).find((x) => x.name === name && live(x));
      return found ? observe(found) : null;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait for an operation to finish; a failed operation throws its error message. */
export async function waitOperation(ctx: ProviderContext, operationId: string, what: string): Promise<void> {
  const pollMs = ctx.pollMs ?? 500;
  for (;;) {
    const op = await ok(
      ctx.api.GET('/api/v1/operations/{id}', { params: { path: { id: operationId } } }),
      `${what} (operation ${operationId})`,
    );
    if (op.status === 'succeeded') return;
    if (op.status === 'failed') {
      const err = op.error as { message?: string } | string | null | undefined;
      const message = typeof err === 'string' ? err : (err?.message ?? op.message ?? 'failed');
      throw new Error(`${what}: ${message}`);
    }
    ctx.log?.(`${what}: ${op.progress}%${op.message ? ` ${op.message}` : ''}`);
    await sleep(pollMs);
  }
}

export async function poll<T>(
  ctx: ProviderContext,
  read: () => Promise<T>,
  done: (v: T) => boolean,
): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await sleep(ctx.pollMs ?? 500);
  }
}

export function pick<T extends object>(obj: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (obj as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as Partial<T>;
}

/** The label every instance a stack creates carries. */
export const STACK_TAG = 'proxicloud:stack';
