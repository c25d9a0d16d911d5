/**
 * Server-side encryption: which blobs are encrypted and with what key (storage.sse.crypto.ts does
 * the bytes).
 *
 * - `blob_keys`: one row per encrypted blob file (a single-part object, a multipart part, a
 *   version — every blob has its own content key). SSE-S3 rows hold the blob's random data key
 *   wrapped by the secrets vault's master key (`KeyWrapPort`, AAD naming bucket and blob) and the
 *   master key's id; SSE-C rows hold only a fingerprint of the customer's key (HMAC keyed by the
 *   blob's salt), never the key. The row goes when the blob file goes (`forget`, from the engine's
 *   removal hook) or with its bucket (foreign key).
 * - `bucket_encryption`: a bucket's default encryption (PutBucketEncryption; AES256 only).
 * - `upload_encryption`: what CreateMultipartUpload chose, so every part is encrypted the same way
 *   (SSE-C: each part must carry the same key, checked against the fingerprint).
 *
 * An object's encryption is its blobs' (the first segment's row says it): no column on objects or
 * versions, so versioning, lifecycle and copies of rows need no change.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migrations.ts';
import type { Tables } from '../../platform/db/schema.ts';
import type { KeyWrapPort } from '../secrets/index.ts';
import { StorageError } from './storage.errors.ts';
import { contentKey, customerKeyFingerprint, fingerprintMatches, newSalt } from './storage.sse.crypto.ts';

export type SseMode = 'AES256' | 'SSE-C';

/** An SSE-C key as the request sent it (already checked against its MD5). */
export interface CustomerKey {
  key: Buffer;
  /** base64 MD5 of the key, as sent (echoed in answers). */
  keyMd5: string;
}

/** What a write asks for: `x-amz-server-side-encryption: AES256`, or an SSE-C key. */
export interface SseRequest {
  algorithm?: 'AES256' | null;
  customer?: CustomerKey | null;
}

/** How an object (or upload, or part) is encrypted, for the answer's headers. */
export interface ObjectEncryption {
  mode: SseMode;
  /** SSE-C: the key's MD5 (from the request; never stored). */
  customerKeyMd5?: string;
  bucketKeyEnabled?: boolean;
}

export interface BucketEncryption {
  algorithm: 'AES256';
  bucketKeyEnabled: boolean;
}

/** A new blob's encryption, ready for writeBlob (`contentKey`) and then `commit`. */
export interface BlobSeal {
  mode: SseMode;
  salt: Buffer;
  /** SSE-S3: the data key (wrapped on commit). SSE-C: the customer's key (never stored). */
  inputKey: Buffer;
  contentKey: Buffer;
  encryption: ObjectEncryption;
}

// ---------------------------------------------------------------- tables

export interface BlobKeysTable {
  bucket_id: string;
  blob: string;
  mode: string;
  salt: string;
  wrapped_key: string | null;
  kek_id: string | null;
  key_fingerprint: string | null;
  created_at: string;
}

export interface BucketEncryptionTable {
  bucket_id: string;
  algorithm: string;
  bucket_key_enabled: number;
  updated_at: string;
}

export interface UploadEncryptionTable {
  upload_id: string;
  mode: string;
  salt: string | null;
  key_fingerprint: string | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    blob_keys: BlobKeysTable;
    bucket_encryption: BucketEncryptionTable;
    upload_encryption: UploadEncryptionTable;
  }
}

export const sseMigrations: ModuleMigration[] = [
  {
    name: '0180_storage_server_side_encryption',
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('blob_keys')
        .addColumn('bucket_id', 'text', (c) => c.notNull().references('buckets.id').onDelete('cascade'))
        .addColumn('blob', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('wrapped_key', 'text')
        .addColumn('kek_id', 'text')
        .addColumn('key_fingerprint', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_keys_pk', ['bucket_id', 'blob'])
        .execute();
      await db.schema.createIndex('blob_keys_kek_idx').on('blob_keys').column('kek_id').execute();
      await db.schema
        .createTable('bucket_encryption')
        .addColumn('bucket_id', 'text', (c) => c.primaryKey().references('buckets.id').onDelete('cascade'))
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('bucket_key_enabled', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('upload_encryption')
        .addColumn('upload_id', 'text', (c) =>
          c.primaryKey().references('multipart_uploads.id').onDelete('cascade'),
        )
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('salt', 'text')
        .addColumn('key_fingerprint', 'text')
        .execute();
    },
  },
];

// ---------------------------------------------------------------- errors (AWS's words)

export function sseCRequired(): StorageError {
  return new StorageError(
    'InvalidRequest',
    'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
  );
}

export function sseNotApplicable(): StorageError {
  return new StorageError('InvalidRequest', 'The encryption parameters are not applicable to this object.');
}

function wrongCustomerKey(): StorageError {
  const e = new StorageError(
    'AccessDenied',
    'The provided SSE-C key does not match the key the object was encrypted with.',
  );
  e.s3Message = 'Access Denied';
  return e;
}

function aadFor(bucketId: string, blob: string): Buffer {
  return Buffer.from(`proxicloud/s3/sse/v1|${bucketId}|${blob}`, 'utf8');
}

const IN_BATCH = 500;

// ---------------------------------------------------------------- the key store

export class SseKeys {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly keyWrap: KeyWrapPort,
    private readonly now: () => string,
  ) {}

  // ------------------------------------------------------------ bucket default

  async bucketDefault(bucketId: string, db: Kysely<Tables> = this.db): Promise<BucketEncryption | null> {
    const row = await db
      .selectFrom('bucket_encryption')
      .selectAll()
      .where('bucket_id', '=', bucketId)
      .executeTakeFirst();
    return row ? { algorithm: 'AES256', bucketKeyEnabled: Number(row.bucket_key_enabled) === 1 } : null;
  }

  async setBucketDefault(db: Kysely<Tables>, bucketId: string, cfg: BucketEncryption | null): Promise<void> {
    await db.deleteFrom('bucket_encryption').where('bucket_id', '=', bucketId).execute();
    if (cfg)
      await db
        .insertInto('bucket_encryption')
        .values({
          bucket_id: bucketId,
          algorithm: cfg.algorithm,
          bucket_key_enabled: cfg.bucketKeyEnabled ? 1 : 0,
          updated_at: this.now(),
        })
        .execute();
  }

  // ------------------------------------------------------------ writes

  /** The encryption a new object gets: what the request asks for, else the bucket's default. */
  async plan(bucketId: string, req: SseRequest | null | undefined): Promise<ObjectEncryption | null> {
    if (req?.customer) return { mode: 'SSE-C', customerKeyMd5: req.customer.keyMd5 };
    const def = await this.bucketDefault(bucketId);
    if (req?.algorithm === 'AES256')
      return { mode: 'AES256', ...(def?.bucketKeyEnabled ? { bucketKeyEnabled: true } : {}) };
    if (def) return { mode: 'AES256', ...(def.bucketKeyEnabled ? { bucketKeyEnabled: true } : {}) };
    return null;
  }

  /** Fresh keys for one new blob. */
  seal(encryption: ObjectEncryption, customer: CustomerKey | null | undefined): BlobSeal {
    const salt = newSalt();
    let inputKey: Buffer;
    if (encryption.mode === 'SSE-C') {
      if (!customer) throw sseCRequired();
      inputKey = customer.key;
    } else inputKey = randomBytes(32);
    return { mode: encryption.mode, salt, inputKey, contentKey: contentKey(inputKey, salt), encryption };
  }

  /** Record a written blob's key (before the object row that uses it is committed). */
  async commit(bucketId: string, blob: string, seal: BlobSeal): Promise<void> {
    const wrapped = seal.mode === 'AES256' ? this.keyWrap.wrap(seal.inputKey, aadFor(bucketId, blob)) : null;
    await this.db
      .insertInto('blob_keys')
      .values({
        bucket_id: bucketId,
        blob,
        mode: seal.mode,
        salt: seal.salt.toString('base64'),
        wrapped_key: wrapped?.wrappedKey ?? null,
        kek_id: wrapped?.kekId ?? null,
        key_fingerprint: seal.mode === 'SSE-C' ? customerKeyFingerprint(seal.inputKey, seal.salt) : null,
        created_at: this.now(),
      })
      .execute();
  }

  /** The blob file is gone: so is its key. */
  async forget(bucketId: string, blob: string): Promise<void> {
    await this.db
      .deleteFrom('blob_keys')
      .where('bucket_id', '=', bucketId)
      .where('blob', '=', blob)
      .execute();
  }

  // ------------------------------------------------------------ reads

  private async rows(bucketId: string, blobs: readonly string[]): Promise<Map<string, BlobKeysTable>> {
    const out = new Map<string, BlobKeysTable>();
    for (let i = 0; i < blobs.length; i += IN_BATCH) {
      const batch = blobs.slice(i, i + IN_BATCH);
      const rows = await this.db
        .selectFrom('blob_keys')
        .selectAll()
        .where('bucket_id', '=', bucketId)
        .where('blob', 'in', batch)
        .execute();
      for (const r of rows) out.set(r.blob, r);
    }
    return out;
  }

  /** An object's encryption from its first blob (HEAD needs no keys unless it is SSE-C). */
  async describe(bucketId: string, blob: string): Promise<{ mode: SseMode } | null> {
    const row = await this.db
      .selectFrom('blob_keys')
      .select('mode')
      .where('bucket_id', '=', bucketId)
      .where('blob', '=', blob)
      .executeTakeFirst();
    return row ? { mode: row.mode as SseMode } : null;
  }

  /**
   * Check the request's SSE-C key against an object's blobs and return each segment with its
   * content key (plaintext segments: no key). 400 when an SSE-C object comes without its key or a
   * key comes for an object that is not SSE-C; 403 for a wrong key (as AWS answers).
   */
  async open<S extends { blob: string }>(
    bucketId: string,
    segments: readonly S[],
    customer: CustomerKey | null | undefined,
  ): Promise<{ segments: (S & { key: Buffer | null })[]; encryption: ObjectEncryption | null }> {
    const rows = await this.rows(
      bucketId,
      segments.map((s) => s.blob),
    );
    const first = segments[0] ? rows.get(segments[0].blob) : undefined;
    const encryption = this.check(first, customer);
    const out = segments.map((s) => {
      const row = rows.get(s.blob);
      if (!row) return { ...s, key: null };
      return { ...s, key: this.keyOf(bucketId, row, customer) };
    });
    return { segments: out, encryption };
  }

  /** The object's encryption for HEAD (checks an SSE-C key like GET does). */
  async head(
    bucketId: string,
    firstBlob: string | undefined,
    customer: CustomerKey | null | undefined,
    describeOnly = false,
  ): Promise<ObjectEncryption | null> {
    if (describeOnly) return firstBlob ? this.describe(bucketId, firstBlob) : null;
    if (!firstBlob) {
      if (customer) throw sseNotApplicable();
      return null;
    }
    const row = (await this.rows(bucketId, [firstBlob])).get(firstBlob);
    return this.check(row, customer);
  }

  private check(
    row: BlobKeysTable | undefined,
    customer: CustomerKey | null | undefined,
  ): ObjectEncryption | null {
    if (!row) {
      if (customer) throw sseNotApplicable();
      return null;
    }
    if (row.mode === 'SSE-C') {
      if (!customer) throw sseCRequired();
      if (!fingerprintMatches(customer.key, Buffer.from(row.salt, 'base64'), row.key_fingerprint ?? ''))
        throw wrongCustomerKey();
      return { mode: 'SSE-C', customerKeyMd5: customer.keyMd5 };
    }
    if (customer) throw sseNotApplicable();
    return { mode: 'AES256' };
  }

  private keyOf(bucketId: string, row: BlobKeysTable, customer: CustomerKey | null | undefined): Buffer {
    const salt = Buffer.from(row.salt, 'base64');
    if (row.mode === 'SSE-C') {
      if (!customer) throw sseCRequired();
      if (!fingerprintMatches(customer.key, salt, row.key_fingerprint ?? '')) throw wrongCustomerKey();
      return contentKey(customer.key, salt);
    }
    const dek = this.keyWrap.unwrap(
      { wrappedKey: row.wrapped_key ?? '', kekId: row.kek_id ?? '' },
      aadFor(bucketId, row.blob),
    );
    try {
      return contentKey(dek, salt);
    } finally {
      dek.fill(0);
    }
  }

  // ------------------------------------------------------------ multipart

  async setUpload(
    db: Kysely<Tables>,
    uploadId: string,
    enc: ObjectEncryption,
    customer?: CustomerKey | null,
  ) {
    const salt = enc.mode === 'SSE-C' && customer ? newSalt() : null;
    await db
      .insertInto('upload_encryption')
      .values({
        upload_id: uploadId,
        mode: enc.mode,
        salt: salt?.toString('base64') ?? null,
        key_fingerprint: salt && customer ? customerKeyFingerprint(customer.key, salt) : null,
      })
      .execute();
  }

  async uploadMode(uploadId: string): Promise<SseMode | null> {
    const row = await this.db
      .selectFrom('upload_encryption')
      .select('mode')
      .where('upload_id', '=', uploadId)
      .executeTakeFirst();
    return (row?.mode as SseMode | undefined) ?? null;
  }

  /** The upload's encryption, with the part's SSE-C key checked (each part must carry it). */
  async uploadEncryption(
    uploadId: string,
    customer: CustomerKey | null | undefined,
  ): Promise<ObjectEncryption | null> {
    const row = await this.db
      .selectFrom('upload_encryption')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .executeTakeFirst();
    if (!row) {
      if (customer) throw sseNotApplicable();
      return null;
    }
    if (row.mode === 'SSE-C') {
      if (!customer)
        throw new StorageError(
          'InvalidRequest',
          'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.',
        );
      if (!fingerprintMatches(customer.key, Buffer.from(row.salt ?? '', 'base64'), row.key_fingerprint ?? ''))
        throw new StorageError(
          'InvalidArgument',
          'The provided encryption parameters did not match the ones used originally.',
        );
      return { mode: 'SSE-C', customerKeyMd5: customer.keyMd5 };
    }
    if (customer) throw sseNotApplicable();
    return { mode: 'AES256' };
  }

  // ------------------------------------------------------------ master-key rotation

  /** Re-wrap every SSE-S3 data key not wrapped by the primary master key (compare-and-set per row). */
  async rewrap(port: KeyWrapPort): Promise<number> {
    const primary = port.primaryKekId();
    let total = 0;
    for (;;) {
      const batch = await this.db
        .selectFrom('blob_keys')
        .selectAll()
        .where('mode', '=', 'AES256')
        .where('kek_id', '!=', primary)
        .limit(200)
        .execute();
      if (batch.length === 0) return total;
      for (const row of batch) {
        const aad = aadFor(row.bucket_id, row.blob);
        const dek = port.unwrap({ wrappedKey: row.wrapped_key ?? '', kekId: row.kek_id ?? '' }, aad);
        try {
          const next = port.wrap(dek, aad);
          await this.db
            .updateTable('blob_keys')
            .set({ wrapped_key: next.wrappedKey, kek_id: next.kekId })
            .where('bucket_id', '=', row.bucket_id)
            .where('blob', '=', row.blob)
            .where('kek_id', '=', row.kek_id)
            .execute();
        } finally {
          dek.fill(0);
        }
      }
      total += batch.length;
    }
  }
}
