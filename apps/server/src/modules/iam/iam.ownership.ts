import type { Kysely } from 'kysely';
import type { Tables } from '../../platform/db/schema.ts';

/**
 * Modules that own per-user resources register a hook so a user who owns resources cannot be
 * deleted silently: deletion answers 409 `user_owns_resources` with the counts, unless the
 * admin passes `reassignTo`, which calls every hook's reassign() in the delete transaction.
 */
export interface OwnershipHook {
  resourceType: string;
  count(userId: string, db: Kysely<Tables>): Promise<number>;
  reassign(fromUserId: string, toUserId: string, db: Kysely<Tables>): Promise<void>;
}

export class OwnershipRegistry {
  private readonly hooks = new Map<string, OwnershipHook>();

  register(hook: OwnershipHook): void {
    if (this.hooks.has(hook.resourceType)) {
      throw new Error(`ownership hook for ${hook.resourceType} registered twice`);
    }
    this.hooks.set(hook.resourceType, hook);
  }

  list(): OwnershipHook[] {
    return [...this.hooks.values()];
  }

  /** Non-zero counts by resource type. */
  async counts(userId: string, db: Kysely<Tables>): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const hook of this.hooks.values()) {
      const n = await hook.count(userId, db);
      if (n > 0) out[hook.resourceType] = n;
    }
    return out;
  }

  async reassign(fromUserId: string, toUserId: string, db: Kysely<Tables>): Promise<void> {
    for (const hook of this.hooks.values()) await hook.reassign(fromUserId, toUserId, db);
  }
}
