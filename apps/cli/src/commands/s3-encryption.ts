/**
 * `s3 encryption <bucket> [show|set|delete]`: a bucket's default server-side encryption through the
 * REST API (`/api/v1/buckets/{bucket}/encryption`). `s3 cp --sse AES256` encrypts single uploads.
 */
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import { parseS3Uri } from './s3.ts';

export function registerS3EncryptionCommands(s3: Command): void {
  s3.command('encryption <bucket> [action]')
    .description('Show or set the default encryption of new objects in a bucket (AES256 = SSE-S3)')
    .option('--bucket-key', "set: store S3's BucketKeyEnabled flag (accepted for compatibility; no effect)")
    .addHelpText(
      'after',
      `
Actions: show (default) | set | delete
With a default, every new object (PUT, copy, multipart) is encrypted at rest with AES-256-GCM under a
key of its own, wrapped by the server's secrets master key. Objects written before stay as they are;
"delete" only stops encrypting new objects. Customer keys (SSE-C) need an S3 client, for example
\`aws s3 cp --sse-c AES256 --sse-c-key fileb://key.bin\`.
${examples(
  'proxicloud s3 encryption backups',
  'proxicloud s3 encryption backups set',
  'proxicloud s3 cp ./db.dump s3://backups/db.dump --sse AES256',
  'proxicloud s3 encryption backups delete',
)}`,
    )
    .action(async (name: string, action: string | undefined, opts: { bucketKey?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const bucket = parseS3Uri(name, { bare: true })!.bucket;
      const params = { params: { path: { bucket } } };
      switch (action ?? 'show') {
        case 'show': {
          const cfg = await unwrap(ctx.api().GET('/api/v1/buckets/{bucket}/encryption', params));
          if (ctx.out.json) return ctx.out.printJson(cfg);
          if (!cfg.algorithm)
            return ctx.out.line(
              `s3://${bucket}: no default encryption (objects are stored as sent). Turn it on with: proxicloud s3 encryption ${bucket} set`,
            );
          return ctx.out.line(
            `s3://${bucket}: new objects are encrypted with ${cfg.algorithm} (SSE-S3)${cfg.bucketKeyEnabled ? ', BucketKeyEnabled' : ''}`,
          );
        }
        case 'set': {
          const cfg = await unwrap(
            ctx.api().PUT('/api/v1/buckets/{bucket}/encryption', {
              ...params,
              body: { algorithm: 'AES256', ...(opts.bucketKey ? { bucketKeyEnabled: true } : {}) },
            }),
          );
          if (ctx.out.json) return ctx.out.printJson(cfg);
          return ctx.out.success(`New objects in s3://${bucket} are now encrypted with AES256 (SSE-S3).`);
        }
        case 'delete': {
          await unwrap(ctx.api().DELETE('/api/v1/buckets/{bucket}/encryption', params));
          if (ctx.out.json) return ctx.out.printJson({ bucket, algorithm: null });
          return ctx.out.success(
            `New objects in s3://${bucket} are no longer encrypted by default (encrypted objects stay encrypted).`,
          );
        }
        default:
          throw new UsageError(`unknown action "${action}"`, 'Use show, set or delete.');
      }
    });
}
