/** Pure parts of object storage: names, checksums, SigV4 (AWS's published vectors), aws-chunked, CORS, conditions, ranges, XML. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checksumOf, compositeChecksum, createChecksummer } from './storage.checksums.ts';
import { corsHeaders, matchCorsRule, validateCorsRules } from './storage.cors.ts';
import { StorageError } from './storage.errors.ts';
import { KeyedLock } from './storage.locks.ts';
import { assertBucketName, assertKey, assertMetadata, bucketNameProblem } from './storage.names.ts';
import { presignAccessKeyId, presignSecret, userIdFromPresignKey } from './storage.s3.credentials.ts';
import { resolveAddress } from './storage.s3.handler.ts';
import {
  AwsChunkedDecoder,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  computeSignature,
  parseAuthorizationHeader,
  parsePresignedQuery,
  parseQuery,
  presignUrl,
  scopeOf,
  sha256Hex,
  signingKey,
} from './storage.s3.sigv4.ts';
import { children, decodeXmlReferences, escapeXml, parseXml, text } from './storage.s3.xml.ts';
import {
  byteCompare,
  decodeCursor,
  encodeCursor,
  etagMatches,
  evaluateConditions,
  parseContentMd5,
  parseRange,
} from './storage.service.ts';
import { newVersionId, parseVersionId } from './storage.versioning.ts';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof StorageError ? err.s3Code : `not a StorageError: ${String(err)}`;
  }
  return undefined;
}

describe('bucket names and keys', () => {
  it('accepts S3-valid bucket names', () => {
    for (const name of ['abc', 'my-bucket', 'my.bucket.01', 'a'.repeat(63), '1bucket9'])
      expect(bucketNameProblem(name), name).toBeNull();
  });

  it('rejects invalid bucket names with InvalidBucketName', () => {
    for (const name of [
      'ab',
      'a'.repeat(64),
      'MyBucket',
      'my_bucket',
      '-bucket',
      'bucket-',
      'my..bucket',
      'my.-bucket',
      '192.168.5.4',
      'xn--bucket',
      'sthree-x',
      'bucket-s3alias',
      'bucket--ol-s3',
      'bucket.mrap',
      'b/c',
      'b c',
      '',
    ])
      expect(
        code(() => assertBucketName(name)),
        name,
      ).toBe('InvalidBucketName');
  });

  it('keys: 1..1024 bytes of UTF-8, anything but NUL', () => {
    expect(code(() => assertKey('a'.repeat(1024)))).toBeUndefined();
    expect(code(() => assertKey('é'.repeat(512)))).toBeUndefined(); // 1024 bytes
    expect(code(() => assertKey('é'.repeat(513)))).toBe('KeyTooLongError');
    expect(code(() => assertKey('a'.repeat(1025)))).toBe('KeyTooLongError');
    expect(code(() => assertKey(''))).toBe('InvalidArgument');
    expect(code(() => assertKey('a\u0000b'))).toBe('InvalidArgument');
    expect(code(() => assertKey('\ud800'))).toBe('InvalidArgument');
    expect(code(() => assertKey('../../etc/passwd'))).toBeUndefined(); // just a key; never a path
  });

  it('user metadata is limited to 2 KB', () => {
    expect(code(() => assertMetadata({ a: 'x'.repeat(2047) }))).toBeUndefined();
    expect(code(() => assertMetadata({ a: 'x'.repeat(2048) }))).toBe('MetadataTooLarge');
    expect(code(() => assertMetadata({ 'bad name': 'x' }))).toBe('InvalidArgument');
  });
});

describe('checksums', () => {
  it('match the standard check values for "123456789"', () => {
    const d = Buffer.from('123456789');
    const hex = (alg: 'CRC32' | 'CRC32C' | 'CRC64NVME') => {
      const c = createChecksummer(alg);
      c.update(d.subarray(0, 4));
      c.update(d.subarray(4));
      return c.digest().toString('hex');
    };
    expect(hex('CRC32')).toBe('cbf43926');
    expect(hex('CRC32C')).toBe('e3069283');
    expect(hex('CRC64NVME')).toBe('ae8b14860a799888');
    expect(checksumOf('SHA256', Buffer.from(''))).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(checksumOf('SHA1', Buffer.from('abc'))).toBe('qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
  });

  it('composite checksum = checksum of the binary part checksums, suffixed -N', () => {
    const parts = [checksumOf('CRC32', Buffer.from('a')), checksumOf('CRC32', Buffer.from('b'))];
    const raw = Buffer.concat(parts.map((p) => Buffer.from(p, 'base64')));
    expect(compositeChecksum('CRC32', parts)).toBe(`${checksumOf('CRC32', raw)}-2`);
  });

  it('Content-MD5 must be base64 of 16 bytes', () => {
    expect(parseContentMd5('XUFAKrxLKna5cZ2REBfFkg==').toString('hex')).toBe(
      '5d41402abc4b2a76b9719d911017c592',
    );
    expect(code(() => parseContentMd5('nope'))).toBe('InvalidDigest');
    expect(code(() => parseContentMd5('AAAA'))).toBe('InvalidDigest');
  });
});

describe('SigV4 (vectors from the AWS S3 documentation)', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const auth = { amzDate: '20130524T000000Z', date: '20130524', region: 'us-east-1', service: 's3' };
  const key = signingKey(secret, auth.date, auth.region, 's3');

  it('GET object with the Authorization header', () => {
    const headers = {
      host: 'examplebucket.s3.amazonaws.com',
      range: 'bytes=0-9',
      'x-amz-content-sha256': sha256Hex(''),
      'x-amz-date': auth.amzDate,
    };
    const canonical = canonicalRequest(
      'GET',
      canonicalUri('/test.txt'),
      '',
      headers,
      ['host', 'range', 'x-amz-content-sha256', 'x-amz-date'],
      sha256Hex(''),
    );
    expect(computeSignature(key, auth, canonical)).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('presigned GET URL', () => {
    const query = canonicalQuery(
      parseQuery(
        'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host',
      ),
    );
    const canonical = canonicalRequest(
      'GET',
      '/test.txt',
      query,
      { host: 'examplebucket.s3.amazonaws.com' },
      ['host'],
      'UNSIGNED-PAYLOAD',
    );
    expect(computeSignature(key, auth, canonical)).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
    // our own presigner produces the same URL
    const url = presignUrl({
      method: 'GET',
      origin: 'https://examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secret,
      region: 'us-east-1',
      expiresIn: 86400,
      now: new Date('2013-05-24T00:00:00Z'),
    });
    expect(url).toContain('X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  const chunkedHeaders = {
    host: 's3.amazonaws.com',
    'x-amz-date': auth.amzDate,
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'content-length': '66824',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  };
  const seed = computeSignature(
    key,
    auth,
    canonicalRequest(
      'PUT',
      canonicalUri('/examplebucket/chunkObject.txt'),
      '',
      chunkedHeaders,
      Object.keys(chunkedHeaders).sort(),
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    ),
  );
  const chunkedBody = (
    final = 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
    tamper = false,
  ) => {
    const first = Buffer.alloc(65536, 'a');
    if (tamper) first[100] = 0x62;
    return Buffer.concat([
      Buffer.from(
        '10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n',
      ),
      first,
      Buffer.from(
        '\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n',
      ),
      Buffer.alloc(1024, 'a'),
      Buffer.from(`\r\n0;chunk-signature=${final}\r\n\r\n`),
    ]);
  };
  const decode = async (body: Buffer, piece: number) => {
    const d = new AwsChunkedDecoder({ key, amzDate: auth.amzDate, scope: scopeOf(auth), seed }, false);
    const src = Readable.from(
      Array.from({ length: Math.ceil(body.length / piece) }, (_, i) =>
        body.subarray(i * piece, (i + 1) * piece),
      ),
    );
    const out: Buffer[] = [];
    for await (const c of src.pipe(d)) out.push(c as Buffer);
    return Buffer.concat(out);
  };

  it('seed signature and every chunk signature of the chunked upload example', async () => {
    expect(seed).toBe('4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
    expect(chunkedBody().length).toBe(66824);
    for (const piece of [1, 7, 4096, 100_000]) {
      const decoded = await decode(chunkedBody(), piece);
      expect(decoded.length).toBe(66560);
      expect(decoded.every((b) => b === 0x61)).toBe(true);
    }
  });

  it('a tampered chunk or a wrong final signature fails with SignatureDoesNotMatch', async () => {
    await expect(decode(chunkedBody(undefined, true), 5000)).rejects.toMatchObject({
      s3Code: 'SignatureDoesNotMatch',
    });
    await expect(decode(chunkedBody('0'.repeat(64)), 5000)).rejects.toMatchObject({
      s3Code: 'SignatureDoesNotMatch',
    });
    const truncated = chunkedBody().subarray(0, 60_000);
    await expect(decode(truncated, 5000)).rejects.toMatchObject({ s3Code: 'IncompleteBody' });
  });

  it('unsigned aws-chunked with a checksum trailer (what the AWS SDK sends for streams)', async () => {
    const d = new AwsChunkedDecoder(null, true);
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    const out: Buffer[] = [];
    for await (const c of Readable.from([body.subarray(0, 9), body.subarray(9)]).pipe(d))
      out.push(c as Buffer);
    expect(Buffer.concat(out).toString()).toBe('hello world');
    expect(d.trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    expect(checksumOf('CRC32', Buffer.from('hello world'))).toBe('DUoRhQ==');
  });

  it('parses and validates Authorization headers and presigned parameters', () => {
    const h = parseAuthorizationHeader(
      'AWS4-HMAC-SHA256 Credential=AKPCAAAAAAAAAAAAAAAA/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
        'a'.repeat(64),
      '20130524T000000Z',
    );
    expect(h).toMatchObject({
      accessKeyId: 'AKPCAAAAAAAAAAAAAAAA',
      region: 'us-east-1',
      signedHeaders: ['host', 'x-amz-date'],
    });
    expect(code(() => parseAuthorizationHeader('AWS AKID:sig', '20130524T000000Z'))).toBe('InvalidRequest');
    expect(
      code(() =>
        parseAuthorizationHeader(
          `AWS4-HMAC-SHA256 Credential=A/20130524/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${'a'.repeat(64)}`,
          '20130524T000000Z',
        ),
      ),
    ).toBe('AuthorizationHeaderMalformed');
    const q = (expires: string) =>
      new Map([
        ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
        ['X-Amz-Credential', 'AKID/20130524/us-east-1/s3/aws4_request'],
        ['X-Amz-Date', '20130524T000000Z'],
        ['X-Amz-Expires', expires],
        ['X-Amz-SignedHeaders', 'host'],
        ['X-Amz-Signature', 'b'.repeat(64)],
      ]);
    expect(parsePresignedQuery(q('604800')).expires).toBe(604800);
    expect(code(() => parsePresignedQuery(q('604801')))).toBe('AuthorizationQueryParametersError');
    expect(code(() => parsePresignedQuery(q('0')))).toBe('AuthorizationQueryParametersError');
  });

  it('canonical URI encodes each segment once, whatever the client sent', () => {
    expect(canonicalUri('/bucket/a b/c+d')).toBe('/bucket/a%20b/c%2Bd');
    expect(canonicalUri('/bucket/a%20b/%E2%82%AC')).toBe('/bucket/a%20b/%E2%82%AC');
    expect(canonicalUri('/bucket/it%27s%21')).toBe('/bucket/it%27s%21');
    expect(canonicalQuery(parseQuery('b=2&a=1&a=0&list-type=2&prefix=x%2Fy'))).toBe(
      'a=0&a=1&b=2&list-type=2&prefix=x%2Fy',
    );
  });
});

describe('presign credentials', () => {
  it('round-trip the user id and derive a per-user secret', () => {
    const id = presignAccessKeyId('usr-0123456789abcdef0');
    expect(id.startsWith('PCPS')).toBe(true);
    expect(userIdFromPresignKey(id)).toBe('usr-0123456789abcdef0');
    expect(userIdFromPresignKey('AKPCAAAAAAAAAAAAAAAA')).toBeNull();
    expect(userIdFromPresignKey('PCPS!!')).toBeNull();
    const mk = Buffer.alloc(32, 1);
    expect(presignSecret(mk, 'usr-a')).not.toBe(presignSecret(mk, 'usr-b'));
    expect(presignSecret(mk, 'usr-a')).not.toBe(presignSecret(Buffer.alloc(32, 2), 'usr-a'));
  });
});

describe('addressing', () => {
  it('path-style and virtual-host-style', () => {
    expect(resolveAddress('127.0.0.1:9000', '/', null)).toEqual({ bucket: null, key: null });
    expect(resolveAddress('127.0.0.1:9000', '/bkt', null)).toEqual({ bucket: 'bkt', key: null });
    expect(resolveAddress('127.0.0.1:9000', '/bkt/', null)).toEqual({ bucket: 'bkt', key: null });
    expect(resolveAddress('host', '/bkt/a/b%20c/%2E%2E/d', null)).toEqual({
      bucket: 'bkt',
      key: 'a/b c/../d',
    });
    expect(resolveAddress('my.bkt.s3.example.lan:9000', '/a/b', 's3.example.lan')).toEqual({
      bucket: 'my.bkt',
      key: 'a/b',
    });
    expect(resolveAddress('s3.example.lan', '/bkt/k', 's3.example.lan')).toEqual({ bucket: 'bkt', key: 'k' });
    expect(code(() => resolveAddress('h', '/bkt/%E0%A4%A', null))).toBe('InvalidURI');
  });
});

describe('CORS rules', () => {
  const rules = validateCorsRules([
    {
      allowedOrigins: ['https://*.example.lan'],
      allowedMethods: ['GET', 'PUT'],
      allowedHeaders: ['x-amz-*', 'content-type'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 600,
    },
    { allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] },
  ]);

  it('matches origin (one wildcard), method and headers, first rule wins', () => {
    const r1 = matchCorsRule(rules, 'https://app.example.lan', 'PUT', ['content-type', 'x-amz-meta-a']);
    expect(r1).toBe(rules[0]);
    expect(matchCorsRule(rules, 'https://evil.test', 'PUT', [])).toBeNull();
    expect(matchCorsRule(rules, 'https://evil.test', 'GET', [])).toBe(rules[1]);
    expect(matchCorsRule(rules, 'https://app.example.lan', 'PUT', ['authorization'])).toBeNull();
    expect(
      corsHeaders(rules[0]!, 'https://app.example.lan', {
        preflight: true,
        requestHeaders: ['content-type'],
      }),
    ).toMatchObject({
      'access-control-allow-origin': 'https://app.example.lan',
      'access-control-allow-methods': 'GET, PUT',
      'access-control-max-age': '600',
      'access-control-expose-headers': 'ETag',
    });
    expect(corsHeaders(rules[1]!, 'https://x', { preflight: false })['access-control-allow-origin']).toBe(
      '*',
    );
  });

  it('rejects invalid configurations', () => {
    expect(code(() => validateCorsRules([]))).toBe('MalformedXML');
    expect(
      code(() =>
        validateCorsRules([
          { allowedOrigins: ['*'], allowedMethods: ['PATCH'], allowedHeaders: [], exposeHeaders: [] },
        ]),
      ),
    ).toBe('InvalidRequest');
    expect(
      code(() =>
        validateCorsRules([
          { allowedOrigins: ['*.*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] },
        ]),
      ),
    ).toBe('InvalidRequest');
  });
});

describe('conditional requests and ranges', () => {
  const etag = 'abc';
  const lm = '2024-01-01T12:00:00.500Z';
  const before = 'Mon, 01 Jan 2024 11:00:00 GMT';
  const same = 'Mon, 01 Jan 2024 12:00:00 GMT';
  const after = 'Mon, 01 Jan 2024 13:00:00 GMT';

  it('If-Match / If-None-Match / If-(Un)Modified-Since with S3 precedence', () => {
    expect(code(() => evaluateConditions({ ifMatch: '"abc"' }, etag, lm))).toBeUndefined();
    expect(code(() => evaluateConditions({ ifMatch: '"zzz"' }, etag, lm))).toBe('PreconditionFailed');
    expect(code(() => evaluateConditions({ ifMatch: '*' }, etag, lm))).toBeUndefined();
    expect(code(() => evaluateConditions({ ifNoneMatch: '"abc"' }, etag, lm))).toBe('NotModified');
    expect(code(() => evaluateConditions({ ifNoneMatch: '"x", "abc"' }, etag, lm))).toBe('NotModified');
    expect(code(() => evaluateConditions({ ifModifiedSince: same }, etag, lm))).toBe('NotModified');
    expect(code(() => evaluateConditions({ ifModifiedSince: before }, etag, lm))).toBeUndefined();
    expect(code(() => evaluateConditions({ ifUnmodifiedSince: before }, etag, lm))).toBe(
      'PreconditionFailed',
    );
    expect(code(() => evaluateConditions({ ifUnmodifiedSince: after }, etag, lm))).toBeUndefined();
    // If-Match true wins over If-Unmodified-Since false; If-None-Match false wins over If-Modified-Since true
    expect(
      code(() => evaluateConditions({ ifMatch: '"abc"', ifUnmodifiedSince: before }, etag, lm)),
    ).toBeUndefined();
    expect(code(() => evaluateConditions({ ifNoneMatch: '"abc"', ifModifiedSince: before }, etag, lm))).toBe(
      'NotModified',
    );
    // copies answer 412 for every failed condition
    expect(code(() => evaluateConditions({ ifNoneMatch: '"abc"' }, etag, lm, true))).toBe(
      'PreconditionFailed',
    );
    expect(code(() => evaluateConditions({ ifModifiedSince: 'not a date' }, etag, lm))).toBeUndefined();
    expect(etagMatches('W/"abc"', 'abc')).toBe(true);
  });

  it('single ranges; invalid syntax is ignored, unsatisfiable is InvalidRange', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-1000', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
    expect(parseRange('bytes=9-3', 100)).toBeNull();
    expect(code(() => parseRange('bytes=100-', 100))).toBe('InvalidRange');
    expect(code(() => parseRange('bytes=0-0', 0))).toBe('InvalidRange');
    expect(code(() => parseRange('bytes=-0', 100))).toBe('InvalidRange');
  });

  it('keys compare by UTF-8 bytes (S3 order), cursors round-trip and reject forgeries', () => {
    expect(byteCompare('\uffff', '\u{10000}')).toBeLessThan(0); // UTF-16 order would say the opposite
    expect(byteCompare('a/', 'a0')).toBeLessThan(0);
    expect(decodeCursor(encodeCursor('photos/2024/é'))).toBe('photos/2024/é');
    expect(code(() => decodeCursor('garbage'))).toBe('InvalidArgument');
  });
});

describe('XML', () => {
  it('escapes markup and control characters; parses documents; refuses DOCTYPE', () => {
    expect(escapeXml(`a<b>&"'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;&apos;&#x1;');
    const doc = parseXml(
      '<?xml version="1.0"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key> a&amp;b </Key></Object></Delete>',
      'Delete',
    );
    expect(text(doc, 'Quiet')).toBe('true');
    expect(code(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><Delete/>', 'Delete'))).toBe('MalformedXML');
    expect(code(() => parseXml('<Other/>', 'Delete'))).toBe('MalformedXML');
    expect(code(() => parseXml('<Delete><Object>', 'Delete'))).toBe('MalformedXML');
  });

  // The same CompleteMultipartUpload (part 1, ETag "abc…" with its quotes, key `it's <a&b>` plus a
  // tab, LF and CR), written the way each SDK's XML writer writes it.
  const ETAG = '"0123456789abcdef0123456789abcdef"';
  const KEY = "it's <a&b>\t\n\r";
  const writers: Record<string, string> = {
    // Go encoding/xml (rclone, minio-go, aws-sdk-go): EscapeText writes " as &#34;, ' as &#39;, and
    // tab, LF and CR as hex references
    go: `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>&#34;0123456789abcdef0123456789abcdef&#34;</ETag><PartNumber>1</PartNumber></Part><Key>it&#39;s &lt;a&amp;b&gt;&#x9;&#xA;&#xD;</Key></CompleteMultipartUpload>`,
    // Java SDK (v1 XmlWriter / v2 XmlGenerator): named entities, CR/LF/tab as hex references
    java: `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><PartNumber>1</PartNumber><ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag></Part><Key>it&apos;s &lt;a&amp;b&gt;&#x9;&#xA;&#xD;</Key></CompleteMultipartUpload>`,
    // .NET XmlWriter: quotes left literal in text, only & < > escaped, CR as a reference (decimal
    // here to cover both numeric forms), indented with a BOM-less declaration
    dotnet: `<?xml version="1.0" encoding="utf-8"?>\n<CompleteMultipartUpload>\n  <Part>\n    <PartNumber>1</PartNumber>\n    <ETag>"0123456789abcdef0123456789abcdef"</ETag>\n  </Part>\n  <Key>it's &lt;a&amp;b&gt;\t&#10;&#13;</Key>\n</CompleteMultipartUpload>`,
  };
  for (const [writer, body] of Object.entries(writers)) {
    it(`decodes character references in request bodies as ${writer} writes them`, () => {
      const doc = parseXml(body, 'CompleteMultipartUpload');
      const [part] = children(doc, 'Part');
      expect(text(part!, 'ETag')).toBe(ETAG);
      expect(text(part!, 'PartNumber')).toBe('1');
      expect(text(doc, 'Key')).toBe(KEY);
    });
  }

  it('decodes references in one pass, leaves CDATA alone, refuses what XML cannot name', () => {
    expect(decodeXmlReferences('&amp;#34; &#x26;lt; &#128512; &#x1F600;')).toBe('&#34; &lt; 😀 😀');
    expect(decodeXmlReferences('no references')).toBe('no references');
    expect(text(parseXml('<Tagging><V><![CDATA[&#34;]]>&#34;</V></Tagging>', 'Tagging'), 'V')).toBe('&#34;"');
    for (const bad of [
      '&nbsp;',
      '&copy;',
      'a & b',
      '&#34',
      '&#0;',
      '&#xD800;',
      '&#x110000;',
      '&#;',
      '&#xZZ;',
      '&;',
    ])
      expect(
        code(() => parseXml(`<Tagging><V>${bad}</V></Tagging>`, 'Tagging')),
        bad,
      ).toBe('MalformedXML');
  });
});

describe('keyed lock', () => {
  it('serialises calls per key and frees idle keys', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const slow = (name: string, ms: number) => () =>
      new Promise<void>((r) =>
        setTimeout(() => {
          order.push(name);
          r();
        }, ms),
      );
    await Promise.all([
      lock.run('k', slow('a', 30)),
      lock.run('k', slow('b', 1)),
      lock.run('other', slow('c', 5)),
    ]);
    expect(order).toEqual(['c', 'a', 'b']);
    expect(lock.size).toBe(0);
    await expect(lock.run('k', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await lock.run('k', async () => 1)).toBe(1);
  });
});

describe('version ids', () => {
  it('are 32 URL-safe characters, parse back, and never start with "-" (a command line would take them for options)', () => {
    for (let i = 0; i < 2000; i++) {
      const id = newVersionId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{31}$/);
      expect(parseVersionId(id)).toBe(id);
    }
  });
});
