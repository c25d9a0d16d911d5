import type { DeleteQueryBuilder, SelectQueryBuilder, UpdateQueryBuilder } from 'kysely';
import { toCount } from './database.ts';

/** Who is acting. Routes get it from authentication; jobs use systemActor. */
export interface Actor {
  id: string;
  username: string;
  role: 'admin' | 'operator' | 'readonly';
  /** How the caller authenticated. */
  via: 'jwt' | 'cookie' | 'access_key' | 'system';
  sessionId?: string;
  accessKeyId?: string;
}

export const systemActor: Actor = { id: 'system', username: 'system', role: 'admin', via: 'system' };

export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

// biome-ignore lint/suspicious/noExplicitAny: generic over any table
type AnySelect = SelectQueryBuilder<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: generic over any table
type AnyUpdate = UpdateQueryBuilder<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: generic over any table
type AnyDelete = DeleteQueryBuilder<any, any, any>;
type Scopable = AnySelect | AnyUpdate | AnyDelete;

/**
 * Owner scoping lives here, in the data-access layer: admins see everything, everyone else only
 * rows whose owner column equals their id. Use it in every repository query that reads or
 * changes a resource on behalf of a user:
 *
 *   scope(db.selectFrom('volumes').selectAll(), actor)
 */
export function scope<Q extends Scopable>(query: Q, actor: Actor, column = 'owner_id'): Q {
  if (isAdmin(actor)) return query;
  // biome-ignore lint/suspicious/noExplicitAny: the column is checked by the caller's table
  return (query as any).where(column, '=', actor.id) as Q;
}

/** Standard list window: contract limit 1..1000 (default 50), offset >= 0. */
export interface Page {
  limit: number;
  offset: number;
}

/**
 * One window of a filtered list and the total without the window, run together: the page's rows
 * (all columns, sorted by `order` in turn; end with a unique column so that pages are stable) and
 * the count of the same query. `Row` is the selected table's row type.
 */
export async function pageOf<Row>(
  query: AnySelect,
  page: Page,
  order: readonly (readonly [column: string, direction?: 'asc' | 'desc'])[],
): Promise<{ rows: Row[]; total: number }> {
  let rows = query.selectAll();
  for (const [column, direction] of order) rows = rows.orderBy(column, direction ?? 'asc');
  const [found, count] = await Promise.all([
    rows.limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return { rows: found as Row[], total: toCount((count as { n?: unknown } | undefined)?.n) };
}

export interface ListResult<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
