/**
 * SecretsPort: what instances (and functions, when they exist) use to turn `secretEnv`
 * (`{ENV_NAME: 'secret-name' | 'sec-…'}`) into environment values. References are stored here
 * (table secret_env_refs), never values. A consumer may use a secret its owner owns, or one
 * whose policy grants `instance:ID` / `function:ID` or the consumer's owner (`user:ID`).
 *
 * Cache: a resolution is kept in memory for RESOLVE_CACHE_MS (10 s) per consumer and map, so a
 * burst of function invocations costs one database round and one audit entry; any change to any
 * secret (new version, delete, policy) and a master-key rotation empty the cache at once.
 * Every resolution that is not a cache hit writes one audit entry `secrets.inject` naming the
 * consumer and each secret and version, never values.
 */
import type { Clock } from '../../platform/clock.ts';
import { systemActor } from '../../platform/db/repository.ts';
import { UnprocessableError } from '../../platform/errors.ts';
import { type CallContext, systemContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import { type Keyring, openValue } from './secrets.crypto.ts';
import { checkEnvName, consumerMayRead, envText, SECRET_ID } from './secrets.policy.ts';
import type { SecretRow, SecretsRepository } from './secrets.repository.ts';

export const RESOLVE_CACHE_MS = 10_000;
export const MAX_SECRET_ENV = 50;

export type SecretEnv = Record<string, string>;

export interface SecretConsumer {
  kind: 'instance' | 'function';
  id: string;
  /** The user owning the instance/function (its namespace resolves names). */
  ownerId: string;
}

export interface InjectedSecret {
  envName: string;
  secretId: string;
  name: string;
  version: number;
}

export interface ResolvedSecretEnv {
  /** ENV_NAME → value. Hold it only as long as needed; never log or persist it. */
  env: Record<string, string>;
  injected: InjectedSecret[];
}

export interface SecretEnvRef {
  envName: string;
  /** As stored: a name in the owner's namespace or a `sec-…` id. */
  ref: string;
  /** null when the reference no longer resolves (deleted, unshared, or scheduled for deletion). */
  secretId: string | null;
  name: string | null;
  version: number | null;
  problem: string | null;
}

export interface SecretsPort {
  /** 422 unless every env name is valid and every secret exists, is live and usable by the consumer. */
  validateEnv(consumer: SecretConsumer, secretEnv: SecretEnv): Promise<void>;
  /** Store the consumer's references (replacing earlier ones); an empty map removes them. */
  setEnv(consumer: SecretConsumer, secretEnv: SecretEnv): Promise<void>;
  /** The stored references of a consumer (`instance:ID`). */
  envOf(consumer: Pick<SecretConsumer, 'kind' | 'id'>): Promise<SecretEnv>;
  /**
   * Resolve to values (the stored references when `secretEnv` is omitted); audited. `fresh` skips
   * the cache (an explicit re-injection is always read from the vault and always audited).
   */
  resolveEnv(
    consumer: SecretConsumer,
    secretEnv?: SecretEnv,
    ctx?: CallContext,
    opts?: { fresh?: boolean },
  ): Promise<ResolvedSecretEnv>;
  /** The stored references with the secrets they point at now (names, current versions; never values). */
  describeEnv(consumer: SecretConsumer): Promise<SecretEnvRef[]>;
  /** The consumer is gone: drop its references and grants naming it. */
  forget(consumer: Pick<SecretConsumer, 'kind' | 'id'>): Promise<void>;
}

const key = (c: Pick<SecretConsumer, 'kind' | 'id'>) => `${c.kind}:${c.id}`;

export class SecretsPortImpl implements SecretsPort {
  private readonly cache = new Map<string, { at: number; value: ResolvedSecretEnv }>();

  constructor(
    private readonly deps: {
      repo: SecretsRepository;
      audit: AuditService;
      clock: Clock;
      keyring: () => Keyring;
    },
  ) {}

  /** Forget every cached resolution (a secret changed). */
  invalidate(): void {
    this.cache.clear();
  }

  private async lookup(consumer: SecretConsumer, envName: string, ref: string): Promise<SecretRow> {
    const fail = (reason: string) =>
      new UnprocessableError(
        `secretEnv ${envName}: secret '${ref.slice(0, 256)}' ${reason}`,
        { field: 'secretEnv', envName, secret: ref.slice(0, 256) },
        'secret_env_unresolved',
      );
    const row = SECRET_ID.test(ref)
      ? await this.deps.repo.findById(ref)
      : await this.deps.repo.findByName(consumer.ownerId, ref);
    if (!row || !consumerMayRead(key(consumer), consumer.ownerId, row, await this.deps.repo.grants(row.id)))
      throw fail('does not exist or is not shared with this ' + consumer.kind);
    if (row.deleted_at) throw fail('is scheduled for deletion (restore it first)');
    return row;
  }

  async validateEnv(consumer: SecretConsumer, secretEnv: SecretEnv): Promise<void> {
    const entries = Object.entries(secretEnv);
    if (entries.length > MAX_SECRET_ENV)
      throw new UnprocessableError(
        `secretEnv holds at most ${MAX_SECRET_ENV} variables`,
        { field: 'secretEnv' },
        'too_many_secret_env',
      );
    for (const [envName, ref] of entries) {
      checkEnvName(envName);
      await this.lookup(consumer, envName, ref);
    }
  }

  async setEnv(consumer: SecretConsumer, secretEnv: SecretEnv): Promise<void> {
    await this.deps.repo.setEnvRefs(key(consumer), consumer.ownerId, secretEnv);
    this.invalidate();
  }

  async envOf(consumer: Pick<SecretConsumer, 'kind' | 'id'>): Promise<SecretEnv> {
    const rows = await this.deps.repo.envRefs(key(consumer));
    return Object.fromEntries(rows.map((r) => [r.env_name, r.secret_ref]));
  }

  async resolveEnv(
    consumer: SecretConsumer,
    secretEnv?: SecretEnv,
    ctx?: CallContext,
    opts: { fresh?: boolean } = {},
  ): Promise<ResolvedSecretEnv> {
    const refs = secretEnv ?? (await this.envOf(consumer));
    const cacheKey = `${key(consumer)}|${consumer.ownerId}|${JSON.stringify(Object.entries(refs).sort())}`;
    const now = this.deps.clock.now().getTime();
    const hit = this.cache.get(cacheKey);
    if (hit && !opts.fresh && now - hit.at < RESOLVE_CACHE_MS) return hit.value;
    const env: Record<string, string> = {};
    const injected: InjectedSecret[] = [];
    for (const [envName, ref] of Object.entries(refs).sort(([a], [b]) => a.localeCompare(b))) {
      checkEnvName(envName);
      const row = await this.lookup(consumer, envName, ref);
      const version = Number(row.current_version);
      const ver = await this.deps.repo.findVersion(row.id, version);
      if (!ver)
        throw new UnprocessableError(
          `secretEnv ${envName}: version ${version} is missing`,
          {},
          'secret_env_unresolved',
        );
      const bytes = openValue(this.deps.keyring(), row.id, version, {
        ciphertext: ver.ciphertext,
        wrappedKey: ver.wrapped_key,
        kekId: ver.kek_id,
      });
      env[envName] = envText(bytes, ver.encoding);
      bytes.fill(0);
      injected.push({ envName, secretId: row.id, name: row.name, version });
    }
    if (injected.length) {
      await this.deps.audit.record(ctx ?? systemContext(systemActor, 'secrets-inject'), {
        action: 'secrets.inject',
        resourceType: consumer.kind,
        resourceId: consumer.id,
        details: {
          consumer: key(consumer),
          injected: injected.map((i) => ({
            env: i.envName,
            id: i.secretId,
            name: i.name,
            version: i.version,
          })),
        },
      });
    }
    const value = { env, injected };
    this.cache.set(cacheKey, { at: now, value });
    return value;
  }

  async describeEnv(consumer: SecretConsumer): Promise<SecretEnvRef[]> {
    const refs = Object.entries(await this.envOf(consumer)).sort(([a], [b]) => a.localeCompare(b));
    const out: SecretEnvRef[] = [];
    for (const [envName, ref] of refs) {
      try {
        const row = await this.lookup(consumer, envName, ref);
        const version = Number(row.current_version);
        out.push({ envName, ref, secretId: row.id, name: row.name, version, problem: null });
      } catch (e) {
        const problem = e instanceof UnprocessableError ? e.message : 'cannot be resolved';
        out.push({ envName, ref, secretId: null, name: null, version: null, problem });
      }
    }
    return out;
  }

  async forget(consumer: Pick<SecretConsumer, 'kind' | 'id'>): Promise<void> {
    await this.deps.repo.setEnvRefs(key(consumer), '', {});
    await this.deps.repo.deleteGrantsFor(key(consumer));
    this.invalidate();
  }
}
