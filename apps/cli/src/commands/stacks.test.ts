/** The IaC commands against a real server (key pairs and buckets need no Proxmox). */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, startWithAdmin } from '../testing/harness.ts';

let s: AdminSession;
let dir: string;

function sshKey(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const part = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]).toString('base64')}`;
}

const KEY = sshKey();

beforeAll(async () => {
  s = await startWithAdmin();
  dir = s.admin.home;
  fs.writeFileSync(
    path.join(dir, 'cli-lab.yaml'),
    `variables:
  env: {type: string, default: dev}
keyPairs:
  - name: cli-deploy
    publicKey: ${KEY}
buckets:
  - name: cli-\${var.env}-assets
`,
  );
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'buckets:\n  - name: x\n    colour: red\n');
});

afterAll(async () => {
  await s?.stop();
});

describe('proxicloud validate / plan / apply / drift / destroy', () => {
  it('validate: ok, and errors name file:line:column with exit 7', async () => {
    const ok = await s.admin.run(['validate', '-f', 'cli-lab.yaml']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('stack cli-lab, 2 resources');
    const bad = await s.admin.run(['validate', '-f', 'bad.yaml']);
    expect(bad.code).toBe(7);
    expect(bad.stderr).toContain('bad.yaml:3:5: /buckets/0/colour: unknown field');
    expect(bad.stderr).toContain('bad.yaml:2:11');
  });

  it('plan --detailed-exitcode says 2 with changes, saves -out, apply <planfile> applies it; then 0', async () => {
    const plan = await s.admin.run([
      'plan',
      '-f',
      'cli-lab.yaml',
      '--detailed-exitcode',
      '-out',
      'lab.plan',
      '--var',
      'env=prod',
    ]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('+   keyPairs.cli-deploy will be created');
    expect(plan.stdout).toContain('buckets.cli-prod-assets');
    expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy.');
    const apply = await s.admin.run(['apply', 'lab.plan']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 2 added');
    // followed as an operation: one line per resource as it finishes
    expect(apply.stderr).toContain('✔ + create keyPairs.cli-deploy');
    expect(apply.stderr).toContain('✔ + create buckets.cli-prod-assets');
    const again = await s.admin.run(['plan', '-f', 'cli-lab.yaml', '--detailed-exitcode'], {
      env: { PROXICLOUD_VAR_env: 'prod' },
    });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes.');
    // the saved plan is stale now
    const stale = await s.admin.run(['apply', 'lab.plan']);
    expect(stale.code).toBe(6);
    expect(stale.stderr).toContain('state_moved');
  });

  it('stacks list/show and -o json', async () => {
    const list = await s.admin.run(['stacks', 'list']);
    expect(list.stdout).toMatch(/cli-lab\s+applied\s+2/);
    const show = await s.admin.run(['stacks', 'show', 'cli-lab', '-o', 'json']);
    const body = JSON.parse(show.stdout) as {
      resources: { address: string }[];
      history: { action: string; username: string }[];
    };
    expect(body.resources.map((r) => r.address).sort()).toEqual([
      'buckets.cli-prod-assets',
      'keyPairs.cli-deploy',
    ]);
    expect(body.history[0]).toMatchObject({ action: 'apply', username: 'admin' });
  });

  it('drift shows a resource deleted outside ProxiCloud; apply re-creates it', async () => {
    const rb = await s.admin.run(['s3', 'rb', 's3://cli-prod-assets', '--yes']);
    expect(rb.code, rb.stderr).toBe(0);
    const drift = await s.admin.run([
      'drift',
      '-f',
      'cli-lab.yaml',
      '--var',
      'env=prod',
      '--detailed-exitcode',
    ]);
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stdout).toContain('buckets.cli-prod-assets');
    expect(drift.stdout).toContain('was deleted');
    const apply = await s.admin.run(['apply', '-f', 'cli-lab.yaml', '--var', 'env=prod', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('1 added');
  });

  it('apply without --auto-approve and no terminal refuses; destroy --auto-approve removes everything', async () => {
    const refused = await s.admin.run(['apply', '-f', 'cli-lab.yaml', '--var', 'env=stage']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('confirmation_required');
    const destroy = await s.admin.run(['destroy', '-f', 'cli-lab.yaml', '--auto-approve']);
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain('  - keyPairs.cli-deploy');
    expect(destroy.stdout).toContain('Destroy complete');
    const keys = await s.admin.run(['keys', 'list', '-o', 'json']);
    expect(JSON.parse(keys.stdout).items).toEqual([]);
  });
});
