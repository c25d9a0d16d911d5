/** `proxicloud s3 policy|public-access-block|acl|tag` and `rb --force` on a versioned bucket, against a real server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';
import { parseGrant } from './s3-access.ts';

let session: AdminSession;
let server: AdminSession['server'];
let admin: CliRunner;
let work: string;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ server, admin } = session);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-s3a-'));
});
afterAll(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await session?.stop();
});

const ok = async (args: string[]) => {
  const r = await admin.run(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
};
/** Anonymous download through S3 under the main port. */
const anon = async (p: string) => (await fetch(`${server.url}/s3/${p}`)).status;

describe('grant parsing', () => {
  it('PERMISSION=GRANTEE with group names, URIs and user ids', () => {
    expect(parseGrant('read=AllUsers')).toEqual({
      grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' },
      permission: 'READ',
    });
    expect(parseGrant('FULL_CONTROL=usr-1')).toEqual({
      grantee: { type: 'CanonicalUser', id: 'usr-1' },
      permission: 'FULL_CONTROL',
    });
    expect(() => parseGrant('SOMETIMES=AllUsers')).toThrow(/not a grant/);
  });
});

describe('s3 policy / public-access-block / acl / tag', () => {
  it('a public-read policy opens downloads; the Public Access Block refuses it; ACLs and tags round-trip', async () => {
    await ok(['s3', 'mb', 'cli-access']);
    const file = path.join(work, 'page.html');
    fs.writeFileSync(file, '<p>hi</p>');
    await ok(['s3', 'cp', file, 's3://cli-access/site/page.html']);
    expect(await ok(['s3', 'policy', 'cli-access'])).toContain('no bucket policy');
    expect(await anon('cli-access/site/page.html')).toBe(403);

    expect(await ok(['s3', 'policy', 'cli-access', 'set', '--public-read', 'site/', '--yes'])).toContain(
      'public',
    );
    expect(await anon('cli-access/site/page.html')).toBe(200);
    const shown = JSON.parse(await ok(['-o', 'json', 's3', 'policy', 'cli-access'])) as {
      isPublic: boolean;
      policy: { Statement: { Resource: string }[] };
    };
    expect(shown.isPublic).toBe(true);
    expect(shown.policy.Statement[0]?.Resource).toBe('arn:aws:s3:::cli-access/site/*');

    // a policy from a file; a bad one is refused with the server's reason
    const bad = path.join(work, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' },
        ],
      }),
    );
    const refused = await admin.run(['s3', 'policy', 'cli-access', 'set', '-f', bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Policy has invalid resource');

    await ok(['s3', 'policy', 'cli-access', 'delete', '--yes']);
    expect(await anon('cli-access/site/page.html')).toBe(403);

    expect(await ok(['s3', 'public-access-block', 'cli-access'])).toContain('no Public Access Block');
    const pab = await ok(['s3', 'public-access-block', 'cli-access', 'set', '--all']);
    expect(pab).toContain('blockPublicPolicy');
    const blocked = await admin.run(['s3', 'policy', 'cli-access', 'set', '--public-read', '--yes']);
    expect(blocked.code).not.toBe(0);
    await ok(['s3', 'public-access-block', 'cli-access', 'delete']);

    // ACLs: disabled by default, enabled with BucketOwnerPreferred
    expect(await ok(['s3', 'acl', 's3://cli-access'])).toContain('ACLs disabled');
    const denied = await admin.run([
      's3',
      'acl',
      's3://cli-access/site/page.html',
      'set',
      '--acl',
      'public-read',
    ]);
    expect(denied.code).not.toBe(0);
    await ok(['s3', 'acl', 's3://cli-access', 'set', '--ownership', 'BucketOwnerPreferred']);
    const objAcl = await ok(['s3', 'acl', 's3://cli-access/site/page.html', 'set', '--acl', 'public-read']);
    expect(objAcl).toContain('AllUsers');
    expect(await anon('cli-access/site/page.html')).toBe(200);
    await ok(['s3', 'acl', 's3://cli-access/site/page.html', 'set', '--acl', 'private']);
    expect(await anon('cli-access/site/page.html')).toBe(403);

    // tags
    await ok(['s3', 'tag', 's3://cli-access', 'set', 'team=web', 'env=prod']);
    expect(await ok(['s3', 'tag', 's3://cli-access'])).toContain('team');
    await ok(['s3', 'tag', 's3://cli-access/site/page.html', 'set', 'class=public']);
    const tags = JSON.parse(await ok(['-o', 'json', 's3', 'tag', 's3://cli-access/site/page.html'])) as {
      tags: { key: string; value: string }[];
    };
    expect(tags.tags).toEqual([{ key: 'class', value: 'public' }]);
    expect(await ok(['s3', 'tag', 's3://cli-access/site/page.html', 'clear'])).toContain('has no tags');
    const badTag = await admin.run(['s3', 'tag', 's3://cli-access', 'set', 'novalue']);
    expect(badTag.code).toBe(2);
  });

  it('rb --force removes every version and delete marker of a versioned bucket', async () => {
    await ok(['s3', 'mb', 'cli-rb-versions']);
    await ok(['s3', 'versioning', 'cli-rb-versions', 'enable']);
    const file = path.join(work, 'v.txt');
    for (const body of ['one', 'two', 'three']) {
      fs.writeFileSync(file, body);
      await ok(['s3', 'cp', file, 's3://cli-rb-versions/v.txt']);
    }
    await ok(['s3', 'cp', file, 's3://cli-rb-versions/gone.txt']);
    await ok(['s3', 'rm', 's3://cli-rb-versions/gone.txt', '--yes']); // leaves a delete marker
    const plain = await admin.run(['s3', 'rb', 'cli-rb-versions']);
    expect(plain.code).toBe(6);
    const out = JSON.parse(await ok(['-o', 'json', 's3', 'rb', 'cli-rb-versions', '--force', '--yes'])) as {
      deleted: boolean;
      versionsDeleted: number;
    };
    expect(out.deleted).toBe(true);
    expect(out.versionsDeleted).toBe(5); // 3 versions of v.txt, gone.txt and its marker
    const ls = await ok(['-o', 'json', 's3', 'ls']);
    expect(ls).not.toContain('cli-rb-versions');
  });
});
