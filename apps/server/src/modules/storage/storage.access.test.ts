/**
 * The pure access rules (storage.access.ts): policy validation with S3's MalformedPolicy
 * messages, the evaluation matrix (explicit Deny > Allow > implicit deny, principals, action
 * wildcards, resource ARNs, condition operators), "is public", canned ACLs and ACL evaluation.
 * Cases follow AWS's policy evaluation logic and bucket policy examples.
 */
import { describe, expect, it } from 'vitest';
import {
  type AccessRequest,
  aclAllows,
  cannedGrants,
  evaluatePolicy,
  GROUP_ALL_USERS,
  isPublicAcl,
  isPublicPolicy,
  type Principal,
  parseGrantHeader,
  parsePolicy,
  wildcardMatch,
} from './storage.access.ts';
import { StorageError } from './storage.errors.ts';
import { s3ActionOf } from './storage.s3.policy.ts';

const B = 'photos';
const alice: Principal = { anonymous: false, id: 'usr_alice', username: 'alice' };
const bob: Principal = { anonymous: false, id: 'usr_bob', username: 'bob' };
const anon: Principal = { anonymous: true };

function policy(...statements: object[]) {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), B);
}

function req(
  p: Principal,
  action: string,
  key: string | null,
  context: AccessRequest['context'] = {},
): AccessRequest {
  return {
    principal: p,
    action,
    resource: key === null ? `arn:aws:s3:::${B}` : `arn:aws:s3:::${B}/${key}`,
    context,
  };
}

function malformedError(text: string): StorageError {
  try {
    parsePolicy(text, B);
  } catch (err) {
    if (err instanceof StorageError && err.s3Code === 'MalformedPolicy') return err;
    throw err;
  }
  throw new Error('expected MalformedPolicy');
}
/** The S3 endpoint's message: AWS's exact words. */
function malformed(text: string): string {
  const err = malformedError(text);
  return err.s3Message ?? err.message;
}

const publicRead = {
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${B}/*`,
};

describe('wildcards', () => {
  it('* and ? as IAM defines them', () => {
    expect(wildcardMatch('arn:aws:s3:::photos/public/*', 'arn:aws:s3:::photos/public/a/b.jpg')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::photos/public/*', 'arn:aws:s3:::photos/private/a')).toBe(false);
    expect(wildcardMatch('s3:Get*', 's3:getobject', true)).toBe(true);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'ac')).toBe(false);
    expect(wildcardMatch('*.jpg', 'x.jpg.png')).toBe(false);
    expect(wildcardMatch('**x', 'abx')).toBe(true);
  });
});

describe('policy validation (MalformedPolicy)', () => {
  it('accepts a documented public-read policy', () => {
    const p = policy(publicRead);
    expect(p.statements).toHaveLength(1);
    expect(isPublicPolicy(p)).toBe(true);
  });

  it('refuses what S3 refuses, with its messages', () => {
    expect(malformed('not json')).toMatch(/first byte must be '\{'/);
    expect(malformed('{"Statement": [')).toMatch(/invalid Json/);
    expect(malformed('{"Version":"2012-10-17"}')).toMatch(/Missing required field Statement/);
    expect(malformed(JSON.stringify({ Version: '2000-01-01', Statement: [publicRead] }))).toMatch(/version/);
    const { Principal: _p, ...noPrincipal } = publicRead;
    expect(malformed(JSON.stringify({ Statement: [noPrincipal] }))).toBe('Missing required field Principal');
    expect(malformed(JSON.stringify({ Statement: [{ ...publicRead, Effect: 'Maybe' }] }))).toBe(
      'Invalid effect',
    );
    expect(malformed(JSON.stringify({ Statement: [{ ...publicRead, Action: 'ec2:RunInstances' }] }))).toBe(
      'Policy has invalid action',
    );
    expect(malformed(JSON.stringify({ Statement: [{ ...publicRead, Action: 's3:NoSuchThing' }] }))).toBe(
      'Policy has invalid action',
    );
    // the REST API names the offending value (message suffix and details); S3 keeps AWS's words
    const action = malformedError(
      JSON.stringify({ Statement: [{ ...publicRead, Action: 's3:NoSuchThing' }] }),
    );
    expect(action.message).toBe('Policy has invalid action: s3:NoSuchThing');
    expect(action.details).toEqual({ field: 'Action', value: 's3:NoSuchThing' });
    const resource = malformedError(
      JSON.stringify({ Statement: [{ ...publicRead, Resource: 'arn:aws:s3:::other-bucket/*' }] }),
    );
    expect(resource.message).toBe('Policy has invalid resource: arn:aws:s3:::other-bucket/*');
    expect(resource.details).toEqual({ field: 'Resource', value: 'arn:aws:s3:::other-bucket/*' });
    const key = malformedError(
      JSON.stringify({ Statement: [{ ...publicRead, Condition: { StringEquals: { 'aws:Nope': 'x' } } }] }),
    );
    expect(key.details).toEqual({ field: 'Condition', value: 'aws:Nope' });
    expect(
      malformed(JSON.stringify({ Statement: [{ ...publicRead, Resource: 'arn:aws:s3:::other-bucket/*' }] })),
    ).toBe('Policy has invalid resource');
    expect(malformed(JSON.stringify({ Statement: [{ ...publicRead, Resource: 'photos/*' }] }))).toBe(
      'Policy has invalid resource',
    );
    expect(malformed(JSON.stringify({ Statement: [{ ...publicRead, Resource: `arn:aws:s3:::${B}` }] }))).toBe(
      'Action does not apply to any resource(s) in statement',
    );
    expect(
      malformed(
        JSON.stringify({ Statement: [{ ...publicRead, Principal: { Service: 'x.amazonaws.com' } }] }),
      ),
    ).toBe('Invalid principal in policy');
    expect(
      malformed(
        JSON.stringify({
          Statement: [{ ...publicRead, Condition: { StringSometimes: { 's3:prefix': 'a' } } }],
        }),
      ),
    ).toMatch(/Invalid Condition type/);
    expect(
      malformed(
        JSON.stringify({ Statement: [{ ...publicRead, Condition: { StringEquals: { 's3:nope': 'a' } } }] }),
      ),
    ).toBe('Policy has an invalid condition key');
    expect(
      malformed(
        JSON.stringify({
          Statement: [{ ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': '300.1.1.1/8' } } }],
        }),
      ),
    ).toMatch(/Invalid IP address/);
    expect(malformed(JSON.stringify({ Statement: [publicRead, publicRead] }))).toMatch(/SID/);
    expect(malformed(JSON.stringify({ Statement: [{ ...publicRead, Sid: 'x' }], Extra: 1 }))).toMatch(
      /Unknown field/,
    );
    expect(malformed(`{"Statement":[],"Id":"${'x'.repeat(21 * 1024)}"}`)).toMatch(
      /maximum allowed document size/,
    );
  });

  it('collects principal references so the service can check they exist', () => {
    const p = policy({
      Effect: 'Allow',
      Principal: {
        AWS: ['arn:aws:iam::usr_bob:root', 'arn:aws:iam::123:user/carol'],
        CanonicalUser: 'usr_dave',
      },
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`],
    });
    expect(p.principalRefs.sort()).toEqual(['carol', 'usr_bob', 'usr_dave']);
    expect(isPublicPolicy(p)).toBe(false);
  });
});

describe('policy evaluation', () => {
  it('anonymous: allowed only by a * principal, only for the listed action and resource', () => {
    const p = policy(publicRead);
    expect(evaluatePolicy(p, req(anon, 's3:GetObject', 'a.jpg'))).toBe('Allow');
    expect(evaluatePolicy(p, req(anon, 's3:PutObject', 'a.jpg'))).toBe('Implicit');
    expect(evaluatePolicy(p, req(anon, 's3:ListBucket', null))).toBe('Implicit');
    expect(evaluatePolicy(p, req(bob, 's3:GetObject', 'a.jpg'))).toBe('Allow');
  });

  it('a named principal matches that user only (id or username, ARN forms)', () => {
    const p = policy({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::usr_bob:root' },
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `arn:aws:s3:::${B}/shared/*`,
    });
    expect(evaluatePolicy(p, req(bob, 's3:PutObject', 'shared/x'))).toBe('Allow');
    expect(evaluatePolicy(p, req(bob, 's3:PutObject', 'private/x'))).toBe('Implicit');
    expect(evaluatePolicy(p, req(alice, 's3:GetObject', 'shared/x'))).toBe('Implicit');
    expect(evaluatePolicy(p, req(anon, 's3:GetObject', 'shared/x'))).toBe('Implicit');
    const byName = policy({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::0:user/bob' },
      Action: 's3:Get*',
      Resource: `arn:aws:s3:::${B}/*`,
    });
    expect(evaluatePolicy(byName, req(bob, 's3:GetObjectTagging', 'k'))).toBe('Allow');
  });

  it('explicit Deny wins over any Allow', () => {
    const p = policy(publicRead, {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `arn:aws:s3:::${B}/secret/*`,
    });
    expect(evaluatePolicy(p, req(anon, 's3:GetObject', 'public/a'))).toBe('Allow');
    expect(evaluatePolicy(p, req(anon, 's3:GetObject', 'secret/a'))).toBe('Deny');
    expect(evaluatePolicy(p, req(alice, 's3:DeleteObject', 'secret/a'))).toBe('Deny');
  });

  it('NotAction, NotResource and NotPrincipal invert the match', () => {
    const p = policy({
      Effect: 'Deny',
      NotPrincipal: { AWS: 'usr_alice' },
      NotAction: ['s3:Get*', 's3:List*'],
      NotResource: `arn:aws:s3:::${B}/inbox/*`,
    });
    expect(evaluatePolicy(p, req(bob, 's3:PutObject', 'docs/a'))).toBe('Deny');
    expect(evaluatePolicy(p, req(bob, 's3:PutObject', 'inbox/a'))).toBe('Implicit');
    expect(evaluatePolicy(p, req(bob, 's3:GetObject', 'docs/a'))).toBe('Implicit');
    expect(evaluatePolicy(p, req(alice, 's3:PutObject', 'docs/a'))).toBe('Implicit');
  });

  it('Bool aws:SecureTransport denies plain HTTP (the documented HTTPS-only policy)', () => {
    const p = policy(publicRead, {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(evaluatePolicy(p, req(anon, 's3:GetObject', 'a', { 'aws:securetransport': ['false'] }))).toBe(
      'Deny',
    );
    expect(evaluatePolicy(p, req(anon, 's3:GetObject', 'a', { 'aws:securetransport': ['true'] }))).toBe(
      'Allow',
    );
  });

  it('IpAddress / NotIpAddress with IPv4, IPv6 and IPv4-mapped addresses', () => {
    const p = policy({
      ...publicRead,
      Condition: { IpAddress: { 'aws:SourceIp': ['192.168.1.0/24', '2001:db8::/32'] } },
    });
    const at = (ip: string) => evaluatePolicy(p, req(anon, 's3:GetObject', 'a', { 'aws:sourceip': [ip] }));
    expect(at('192.168.1.77')).toBe('Allow');
    expect(at('::ffff:192.168.1.77')).toBe('Allow');
    expect(at('192.168.2.1')).toBe('Implicit');
    expect(at('2001:db8::1')).toBe('Allow');
    expect(at('2001:db9::1')).toBe('Implicit');
    expect(isPublicPolicy(p)).toBe(false); // a fixed source range is not public
    const deny = policy(publicRead, {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${B}/*`,
      Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    expect(evaluatePolicy(deny, req(anon, 's3:GetObject', 'a', { 'aws:sourceip': ['10.1.2.3'] }))).toBe(
      'Allow',
    );
    expect(evaluatePolicy(deny, req(anon, 's3:GetObject', 'a', { 'aws:sourceip': ['8.8.8.8'] }))).toBe(
      'Deny',
    );
  });

  it('StringEquals / StringLike on s3:prefix (ListBucket limited to a home folder)', () => {
    const p = policy({
      Effect: 'Allow',
      Principal: { AWS: 'usr_bob' },
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${B}`,
      Condition: { StringLike: { 's3:prefix': ['home/bob/*', ''] } },
    });
    const list = (prefix?: string) =>
      evaluatePolicy(
        p,
        req(bob, 's3:ListBucket', null, prefix === undefined ? {} : { 's3:prefix': [prefix] }),
      );
    expect(list('home/bob/')).toBe('Allow');
    expect(list('')).toBe('Allow');
    expect(list('home/alice/')).toBe('Implicit');
    expect(list(undefined)).toBe('Implicit'); // a missing key never matches a positive operator
    const eq = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${B}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
    expect(
      evaluatePolicy(eq, req(bob, 's3:PutObject', 'k', { 's3:x-amz-acl': ['bucket-owner-full-control'] })),
    ).toBe('Allow');
    expect(evaluatePolicy(eq, req(bob, 's3:PutObject', 'k', { 's3:x-amz-acl': ['public-read'] }))).toBe(
      'Implicit',
    );
    expect(evaluatePolicy(eq, req(bob, 's3:PutObject', 'k', {}))).toBe('Implicit');
  });

  it('negated operators match a missing key; IfExists passes a missing key; Null tests presence', () => {
    const p = policy({
      ...publicRead,
      Condition: { StringNotEquals: { 'aws:Referer': 'https://evil.example' } },
    });
    expect(evaluatePolicy(p, req(anon, 's3:GetObject', 'a', {}))).toBe('Allow');
    expect(
      evaluatePolicy(p, req(anon, 's3:GetObject', 'a', { 'aws:referer': ['https://evil.example'] })),
    ).toBe('Implicit');
    const ifExists = policy({
      ...publicRead,
      Condition: { StringEqualsIfExists: { 'aws:Referer': 'https://ok.example' } },
    });
    expect(evaluatePolicy(ifExists, req(anon, 's3:GetObject', 'a', {}))).toBe('Allow');
    expect(evaluatePolicy(ifExists, req(anon, 's3:GetObject', 'a', { 'aws:referer': ['https://x'] }))).toBe(
      'Implicit',
    );
    const nul = policy({ ...publicRead, Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } });
    expect(evaluatePolicy(nul, req(anon, 's3:GetObject', 'a', {}))).toBe('Allow');
    expect(
      evaluatePolicy(nul, req(anon, 's3:GetObject', 'a', { 's3:x-amz-server-side-encryption': ['AES256'] })),
    ).toBe('Implicit');
  });

  it('several keys in a block are ANDed, several values ORed; Numeric, Date and tag keys', () => {
    const p = policy({
      ...publicRead,
      Condition: {
        StringEquals: { 's3:ExistingObjectTag/class': ['public', 'shared'] },
        NumericLessThanEquals: { 's3:max-keys': '100' },
        DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
      },
    });
    expect(p.usesExistingObjectTags).toBe(true);
    const ctx = (tag: string | undefined, maxKeys: string, now: string) => ({
      's3:existingobjecttag/class': tag === undefined ? undefined : [tag],
      's3:max-keys': [maxKeys],
      'aws:currenttime': [now],
    });
    expect(
      evaluatePolicy(p, req(anon, 's3:GetObject', 'a', ctx('shared', '50', '2026-01-01T00:00:00Z'))),
    ).toBe('Allow');
    expect(
      evaluatePolicy(p, req(anon, 's3:GetObject', 'a', ctx('secret', '50', '2026-01-01T00:00:00Z'))),
    ).toBe('Implicit');
    expect(
      evaluatePolicy(p, req(anon, 's3:GetObject', 'a', ctx('shared', '500', '2026-01-01T00:00:00Z'))),
    ).toBe('Implicit');
    expect(
      evaluatePolicy(p, req(anon, 's3:GetObject', 'a', ctx('shared', '50', '2031-01-01T00:00:00Z'))),
    ).toBe('Implicit');
  });

  it('ForAllValues / ForAnyValue over multi-valued keys (request tag keys)', () => {
    const all = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${B}/*`,
      Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['project', 'owner'] } },
    });
    const keys = (k: string[]) =>
      evaluatePolicy(all, req(bob, 's3:PutObject', 'k', { 's3:requestobjecttagkeys': k }));
    expect(keys(['project'])).toBe('Allow');
    expect(keys(['project', 'secret'])).toBe('Implicit');
    const any = policy({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${B}/*`,
      Condition: { 'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': 'tmp*' } },
    });
    expect(
      evaluatePolicy(any, req(bob, 's3:PutObject', 'k', { 's3:requestobjecttagkeys': ['a', 'tmpx'] })),
    ).toBe('Deny');
    expect(evaluatePolicy(any, req(bob, 's3:PutObject', 'k', { 's3:requestobjecttagkeys': ['a'] }))).toBe(
      'Implicit',
    );
  });
});

describe('public policies', () => {
  it('a * principal without a restricting condition is public; a fixed account or IP is not', () => {
    expect(isPublicPolicy(policy(publicRead))).toBe(true);
    expect(isPublicPolicy(policy({ ...publicRead, Principal: { AWS: '*' } }))).toBe(true);
    expect(isPublicPolicy(policy({ ...publicRead, Effect: 'Deny' }))).toBe(false);
    expect(
      isPublicPolicy(policy({ ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })),
    ).toBe(true);
    expect(
      isPublicPolicy(policy({ ...publicRead, Condition: { StringEquals: { 'aws:username': 'bob' } } })),
    ).toBe(false);
    expect(
      isPublicPolicy(policy({ ...publicRead, Condition: { StringLike: { 'aws:username': 'b*' } } })),
    ).toBe(true);
    expect(
      isPublicPolicy(policy({ ...publicRead, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
    ).toBe(true);
  });
});

describe('ACLs', () => {
  it('canned ACLs expand as S3 documents them', () => {
    expect(cannedGrants('private', 'o', 'o')).toEqual([
      { grantee: { type: 'CanonicalUser', id: 'o' }, permission: 'FULL_CONTROL' },
    ]);
    expect(cannedGrants('public-read-write', 'o', 'o').map((g) => g.permission)).toEqual([
      'FULL_CONTROL',
      'READ',
      'WRITE',
    ]);
    expect(cannedGrants('bucket-owner-read', 'writer', 'owner')[1]).toEqual({
      grantee: { type: 'CanonicalUser', id: 'owner' },
      permission: 'READ',
    });
    expect(isPublicAcl(cannedGrants('authenticated-read', 'o', 'o'))).toBe(true);
    expect(isPublicAcl(cannedGrants('bucket-owner-full-control', 'o', 'b'))).toBe(false);
  });

  it('grants honour the grantee: AllUsers, AuthenticatedUsers (not anonymous), a user; FULL_CONTROL covers all', () => {
    const read = cannedGrants('public-read', 'usr_alice', 'usr_alice');
    expect(aclAllows(read, anon, 'READ')).toBe(true);
    expect(aclAllows(read, anon, 'WRITE')).toBe(false);
    expect(aclAllows(read, anon, 'READ', { ignorePublic: true })).toBe(false);
    const auth = cannedGrants('authenticated-read', 'usr_alice', 'usr_alice');
    expect(aclAllows(auth, anon, 'READ')).toBe(false);
    expect(aclAllows(auth, bob, 'READ')).toBe(true);
    const bobFull = [
      { grantee: { type: 'CanonicalUser' as const, id: 'usr_bob' }, permission: 'FULL_CONTROL' as const },
    ];
    expect(aclAllows(bobFull, bob, 'WRITE_ACP')).toBe(true);
    expect(aclAllows(bobFull, alice, 'READ')).toBe(false);
  });

  it('x-amz-grant-* headers parse ids, group URIs and e-mail addresses', () => {
    expect(parseGrantHeader(`id="usr_bob", uri="${GROUP_ALL_USERS}", emailAddress="x@example.com"`)).toEqual([
      { kind: 'id', value: 'usr_bob' },
      { kind: 'uri', value: GROUP_ALL_USERS },
      { kind: 'emailAddress', value: 'x@example.com' },
    ]);
    expect(() => parseGrantHeader('who=bob')).toThrow(/Invalid grant header/);
  });
});

describe('request → IAM action (AWS authorization reference)', () => {
  it('maps operations and sub-resources', () => {
    const q = (...names: string[]) => new Map(names.map((n) => [n, '']));
    expect(s3ActionOf('GET', false, false, q())).toBe('s3:ListAllMyBuckets');
    expect(s3ActionOf('HEAD', true, false, q())).toBe('s3:ListBucket');
    expect(s3ActionOf('GET', true, false, q('list-type'))).toBe('s3:ListBucket');
    expect(s3ActionOf('GET', true, false, q('versions'))).toBe('s3:ListBucketVersions');
    expect(s3ActionOf('PUT', true, false, q())).toBe('s3:CreateBucket');
    expect(s3ActionOf('DELETE', true, false, q('policy'))).toBe('s3:DeleteBucketPolicy');
    expect(s3ActionOf('DELETE', true, false, q('tagging'))).toBe('s3:PutBucketTagging');
    expect(s3ActionOf('PUT', true, false, q('publicAccessBlock'))).toBe('s3:PutBucketPublicAccessBlock');
    expect(s3ActionOf('POST', true, false, q('delete'))).toBe('s3:DeleteObject');
    expect(s3ActionOf('POST', true, false, q())).toBe('s3:PutObject');
    expect(s3ActionOf('GET', true, true, q())).toBe('s3:GetObject');
    expect(s3ActionOf('HEAD', true, true, q('versionId'))).toBe('s3:GetObjectVersion');
    expect(s3ActionOf('PUT', true, true, q('uploadId', 'partNumber'))).toBe('s3:PutObject');
    expect(s3ActionOf('POST', true, true, q('uploads'))).toBe('s3:PutObject');
    expect(s3ActionOf('DELETE', true, true, q('uploadId'))).toBe('s3:AbortMultipartUpload');
    expect(s3ActionOf('GET', true, true, q('uploadId'))).toBe('s3:ListMultipartUploadParts');
    expect(s3ActionOf('PUT', true, true, q('acl', 'versionId'))).toBe('s3:PutObjectVersionAcl');
    expect(s3ActionOf('DELETE', true, true, q('tagging'))).toBe('s3:DeleteObjectTagging');
    expect(s3ActionOf('DELETE', true, true, q('versionId'))).toBe('s3:DeleteObjectVersion');
  });
});
