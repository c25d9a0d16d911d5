import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('pve-sim CLI', () => {
  it('explains its flags with --help', async () => {
    const child = spawn(tsx, [cli, '--help']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    for (const flag of [
      '--port',
      '--nodes',
      '--token',
      '--latency',
      '--task-ms',
      '--state',
      '--ssh-port',
      '--host',
    ])
      expect(out).toContain(flag);
  });

  it('prints URL, fingerprint and token, then serves the API with that token', async () => {
    const child = spawn(tsx, [
      cli,
      '--port',
      '0',
      '--nodes',
      '2',
      '--token',
      'root@pam!ci=SECRET-1',
      '--no-ssh',
      '--task-ms',
      '0',
    ]);
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          if (out.includes('Press Ctrl+C')) resolve();
        });
        child.on('close', (c) => reject(new Error(`exited ${c}: ${out}`)));
      });
      const url = /URL:\s+(https:\/\/\S+)/.exec(out)![1]!;
      expect(out).toMatch(/Fingerprint:\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
      expect(out).toContain('API token:    root@pam!ci=SECRET-1');
      expect(out).toContain('nodes: pve1, pve2');
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(
          `${url}/api2/json/nodes`,
          { headers: { authorization: 'PVEAPIToken=root@pam!ci=SECRET-1' }, rejectUnauthorized: false },
          (res) => {
            let b = '';
            res.on('data', (d: Buffer) => (b += d));
            res.on('end', () => resolve(b));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body).data).toHaveLength(2);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
    }
  });

  it('rejects bad flag values', async () => {
    const child = spawn(tsx, [cli, '--latency', 'slow']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(1);
    expect(err).toContain('--latency must be a non-negative integer');
  });
});
