import { describe, expect, it } from 'vitest';
import { describeAcl, parsePolicyText, parseTagsText, publicReadTemplate, tagsText } from './access.ts';

describe('bucket access helpers', () => {
  it('policy text: JSON objects pass, anything else says why', () => {
    expect(parsePolicyText(publicReadTemplate('web', 'site/'))).toMatchObject({
      Statement: [{ Resource: 'arn:aws:s3:::web/site/*' }],
    });
    expect(parsePolicyText('{nope')).toMatch(/Not valid JSON/);
    expect(parsePolicyText('[1]')).toMatch(/JSON object/);
  });

  it('tags round-trip through "k=v, k=v" text', () => {
    expect(parseTagsText('team=web, env = prod\ncost=42')).toEqual([
      { key: 'team', value: 'web' },
      { key: 'env', value: 'prod' },
      { key: 'cost', value: '42' },
    ]);
    expect(parseTagsText('oops')).toMatch(/not a tag/);
    expect(tagsText([{ key: 'a', value: 'b' }])).toBe('a=b');
  });

  it('describes ACLs in words', () => {
    const owner = { id: 'u1', username: 'alice' };
    expect(
      describeAcl({
        bucket: 'b',
        ownership: 'BucketOwnerPreferred',
        owner,
        grants: [
          { grantee: { type: 'CanonicalUser', id: 'u1' }, permission: 'FULL_CONTROL' },
          {
            grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' },
            permission: 'READ',
          },
        ],
      }),
    ).toBe('everyone: READ');
    expect(describeAcl({ bucket: 'b', ownership: 'BucketOwnerEnforced', owner, grants: [] })).toBe(
      'Private (only the owner)',
    );
  });
});
