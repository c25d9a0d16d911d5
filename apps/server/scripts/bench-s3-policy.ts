/**
 * Bucket policy evaluation cost (pure, no HTTP): an 11-statement policy with IpAddress, StringLike (aws:UserAgent)
 * and Bool conditions, evaluated for a request its 6th statement allows, for 2 s.
 *
 *   npx tsx apps/server/scripts/bench-s3-policy.ts
 */
import { evaluatePolicy, parsePolicy } from '../src/modules/storage/storage.access.ts';

const statements: object[] = [];
for (let i = 0; i < 10; i++)
  statements.push({
    Effect: 'Allow',
    Principal: { AWS: `usr-${i}` },
    Action: ['s3:Get*', 's3:PutObject'],
    Resource: `arn:aws:s3:::bench/p${i}/*`,
    Condition: {
      IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      StringLike: { 'aws:UserAgent': 'aws-sdk-js/*' },
    },
  });
statements.push({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::bench', 'arn:aws:s3:::bench/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
const policy = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'bench');
const request = {
  principal: { anonymous: false as const, id: 'usr-5', username: 'user5' },
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::bench/p5/some/key.txt',
  context: {
    'aws:sourceip': ['10.1.2.3'],
    'aws:securetransport': ['true'],
    'aws:useragent': ['aws-sdk-js/3.0 ua/2.1'],
  },
};
if (evaluatePolicy(policy, request) !== 'Allow') throw new Error('the benchmark request should be allowed');
let n = 0;
const start = process.hrtime.bigint();
while (process.hrtime.bigint() - start < 2_000_000_000n) {
  evaluatePolicy(policy, request);
  n++;
}
console.log(
  `11-statement policy: ${Math.round(n / 2)} evaluations/s, ${(2e6 / n).toFixed(2)} µs each (load ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
