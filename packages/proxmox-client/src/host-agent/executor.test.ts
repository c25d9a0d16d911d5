import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutorError, hostKeyFingerprint, LocalExecutor, SshExecutor, shellQuote } from './executor.ts';
import { validateImageLink } from './images.ts';
import { SnippetAgent, validateSnippetPath } from './snippets.ts';
import { HostAgentValidationError } from './zfs.ts';

const dir = mkdtempSync(join(tmpdir(), 'pc-exec-'));
const canary = join(dir, 'pwned');
const PAYLOADS = [
  `; touch ${canary}`,
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `'; touch ${canary}; '`,
  `"; touch ${canary}; "`,
  `a\ntouch ${canary}`,
  `|| touch ${canary}`,
  `$HOME \${PATH} %s \\ \\' '"'"'`,
  "it's",
  '-o mountpoint=/',
  '',
];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shellQuote through a real shell', () => {
  it.each(PAYLOADS)('%j arrives literally', async (payload) => {
    const cmd = ['printf', '%s', payload].map(shellQuote).join(' ');
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('/bin/sh', ['-c', cmd]);
      let s = '';
      p.stdout.on('data', (d: Buffer) => {
        s += d.toString();
      });
      p.on('error', reject);
      p.on('close', () => resolve(s));
    });
    expect(out).toBe(payload);
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses NUL bytes', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('LocalExecutor', () => {
  const ex = new LocalExecutor();
  it('runs argv without a shell', async () => {
    for (const payload of PAYLOADS) {
      const r = await ex.exec(['printf', '%s', payload]);
      expect(r).toEqual({ stdout: payload, stderr: '', exitCode: 0 });
    }
    expect(existsSync(canary)).toBe(false);
  });
  it('reports exit codes and stderr', async () => {
    const r = await ex.exec(['ls', join(dir, 'missing')]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('missing');
  });
  it('passes stdin as data', async () => {
    const r = await ex.exec(['cat'], { stdin: `#!/bin/sh\n${PAYLOADS.join('\n')}` });
    expect(r.stdout).toBe(`#!/bin/sh\n${PAYLOADS.join('\n')}`);
    expect((await ex.exec(['cat'])).stdout).toBe(''); // EOF without stdin
  });
  it('fails clearly when the program does not exist or hangs', async () => {
    await expect(ex.exec(['/nonexistent/zfs', 'list'])).rejects.toBeInstanceOf(ExecutorError);
    await expect(ex.exec(['sleep', '5'], { timeoutMs: 100 })).rejects.toThrow(/timed out/);
  });
});

describe('SshExecutor against a real SSH server that runs commands with /bin/sh -c', () => {
  const hostKey = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(hostKey.private);
  if (parsed instanceof Error) throw parsed;
  const fingerprint = hostKeyFingerprint(parsed.getPublicSSH());
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = new Server({ hostKeys: [hostKey.private] }, (client) => {
      client.on('authentication', (ctx) => {
        if (ctx.method === 'password' && ctx.username === 'root' && ctx.password === 's3cret-pw')
          ctx.accept();
        else ctx.reject(['password']);
      });
      client.on('session', (accept) => {
        accept().on('exec', (acc, _rej, info) => {
          const stream = acc();
          const p = spawn('/bin/sh', ['-c', info.command]);
          stream.pipe(p.stdin);
          p.stdout.pipe(stream, { end: false });
          p.stderr.pipe(stream.stderr, { end: false });
          p.on('close', (code) => {
            stream.exit(code ?? 1);
            stream.end();
          });
        });
      });
      client.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('delivers every payload literally (no injection through the remote shell)', async () => {
    const ex = new SshExecutor({
      host: '127.0.0.1',
      port,
      username: 'root',
      password: 's3cret-pw',
      hostKeyFingerprint: fingerprint,
    });
    try {
      for (const payload of PAYLOADS) {
        const r = await ex.exec(['printf', '%s', payload]);
        expect(r).toEqual({ stdout: payload, stderr: '', exitCode: 0 });
      }
      expect(existsSync(canary)).toBe(false);
      const fail = await ex.exec(['sh', '-c', 'echo oops >&2; exit 3']);
      expect(fail).toEqual({ stdout: '', stderr: 'oops\n', exitCode: 3 });
    } finally {
      await ex.close();
    }
  });

  it('writes a snippet through stdin of a fixed command: content and path arrive literally', async () => {
    const ex = new SshExecutor({
      host: '127.0.0.1',
      port,
      username: 'root',
      password: 's3cret-pw',
      hostKeyFingerprint: fingerprint,
    });
    const snippets = join(dir, 'snippets');
    mkdirSync(snippets, { recursive: true });
    const agent = new SnippetAgent(ex);
    const content = `#cloud-config\nruncmd:\n${PAYLOADS.map((p) => `  - ${JSON.stringify(p)}`).join('\n')}\n`;
    try {
      const file = join(snippets, 'proxicloud-i-1-user.yaml');
      await agent.write(file, content);
      expect(readFileSync(file, 'utf8')).toBe(content);
      await agent.write(file, 'short\n'); // replaces
      expect(readFileSync(file, 'utf8')).toBe('short\n');
      await agent.remove(file);
      expect(existsSync(file)).toBe(false);
      await agent.remove(file); // idempotent
      expect(existsSync(canary)).toBe(false);
    } finally {
      await ex.close();
    }
  });

  it('refuses a host key that does not match the pin, naming both fingerprints', async () => {
    const other = utils.generateKeyPairSync('ed25519');
    const op = utils.parseKey(other.private);
    if (op instanceof Error) throw op;
    const wrong = hostKeyFingerprint(op.getPublicSSH());
    const ex = new SshExecutor({
      host: '127.0.0.1',
      port,
      username: 'root',
      password: 's3cret-pw',
      hostKeyFingerprint: wrong,
    });
    const err = await ex.exec(['true']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutorError);
    expect(String((err as Error).message)).toContain(`expected ${wrong}`);
    expect(String((err as Error).message)).toContain(`got ${fingerprint}`);
    await ex.close();
  });

  it('reports bad credentials without echoing the password', async () => {
    const ex = new SshExecutor({
      host: '127.0.0.1',
      port,
      username: 'root',
      password: 'wrong-pw-123',
      hostKeyFingerprint: fingerprint,
    });
    const err = (await ex.exec(['true']).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ExecutorError);
    expect(err.message).toMatch(/authentication failed/);
    expect(err.message).not.toContain('wrong-pw-123');
    await ex.close();
  });
});

describe('snippet validation', () => {
  const never: import('./executor.ts').Executor = {
    exec: () => Promise.reject(new Error('must not run')),
    close: async () => {},
  };
  const agent = new SnippetAgent(never, { maxBytes: 100 });
  it.each([
    'relative/snippets/a.yaml',
    '/var/lib/vz/snippets/../x.yaml',
    '/var/lib/vz/snippets/a.sh',
    '/var/lib/vz/images/a.yaml',
    '/var/lib/vz/snippets/-o.yaml',
    '/var/lib/vz/snippets/a b.yaml',
    '/var/lib/vz/snippets/$(id).yaml',
    '/var/lib/vz/snippets/a;rm.yaml',
    '/var/lib/vz//snippets/a.yaml',
    '/var/lib/vz/snippets/a.yaml\n',
  ])('refuses path %j before running anything', async (path) => {
    expect(() => validateSnippetPath(path)).toThrow(HostAgentValidationError);
    await expect(agent.write(path, 'x')).rejects.toBeInstanceOf(HostAgentValidationError);
    await expect(agent.remove(path)).rejects.toBeInstanceOf(HostAgentValidationError);
  });
  it.each([['x'.repeat(101)], ['a\u0000b'], ['\u001b[31m'], ['bad \uFFFD']])(
    'refuses content %#',
    async (c) => {
      await expect(agent.write('/var/lib/vz/snippets/a.yaml', c)).rejects.toBeInstanceOf(
        HostAgentValidationError,
      );
    },
  );
});

describe('image link validation', () => {
  it('accepts only <dir>/template/iso/<image> → <dir>/import/<same image>', () => {
    expect(
      validateImageLink(
        '/var/lib/vz/template/iso/jammy-server-cloudimg-amd64.img',
        '/var/lib/vz/import/jammy-server-cloudimg-amd64.img',
      ),
    ).toBeTruthy();
    for (const [s, d] of [
      ['/var/lib/vz/template/iso/a.img', '/var/lib/vz/import/b.img'],
      ['/var/lib/vz/template/iso/a.img', '/srv/import/a.img'],
      ['/var/lib/vz/template/iso/a.iso', '/var/lib/vz/import/a.iso'],
      ['/var/lib/vz/template/iso/$(id).img', '/var/lib/vz/import/$(id).img'],
      ['/var/../etc/template/iso/a.img', '/var/../etc/import/a.img'],
      ['/var/lib/vz/template/iso/-f.img', '/var/lib/vz/import/-f.img'],
      ['/etc/passwd', '/var/lib/vz/import/passwd.img'],
    ])
      expect(() => validateImageLink(s, d), `${s} → ${d}`).toThrow(HostAgentValidationError);
  });
});
