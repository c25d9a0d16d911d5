/**
 * `instances console`: the escape reader and frames, and the real CLI (a subprocess without a
 * pseudo-TTY: stdin/stdout are pipes) against a real server in demo mode — a container's shell
 * round trip, `~.` to quit, piped input, a VM's serial port, and `--type vnc` printing the URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin, type TestServer } from '../testing/harness.ts';
import { EscapeReader, termInputFrame, termResizeFrame } from './console.ts';

describe('console input', () => {
  it('~. at the start of a line quits; ~~ sends ~; a ~ elsewhere is plain text', () => {
    const r = new EscapeReader();
    expect(r.feed('ls ~/x\r')).toEqual({ send: 'ls ~/x\r', quit: false });
    expect(r.feed('~~home\r')).toEqual({ send: '~home\r', quit: false });
    expect(r.feed('~a')).toEqual({ send: '~a', quit: false });
    expect(r.feed('\r~')).toEqual({ send: '\r', quit: false });
    expect(r.feed('.ignored')).toEqual({ send: '', quit: true });
    expect(new EscapeReader().feed('~.')).toEqual({ send: '', quit: true });
  });

  it('frames input by UTF-8 byte length and resizes as COLS:ROWS', () => {
    expect(termInputFrame('é!')).toBe('0:3:é!');
    expect(termResizeFrame(120, 40)).toBe('1:120:40:');
  });
});

let session: AdminSession;
let server: TestServer;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ server, admin } = session);
  for (const [name, template] of [
    ['con-ct', 'debian-12-standard_12.7-1_amd64.tar.zst'],
    ['con-vm', 'debian-12-genericcloud-amd64.qcow2'],
  ]) {
    const launched = await admin.run([
      'instances',
      'launch',
      name!,
      '-t',
      template!,
      '-i',
      't.nano',
      '--wait',
    ]);
    expect(launched.code, launched.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => session?.stop());

describe('proxicloud instances console', () => {
  it("opens a container's shell: echo round trip, then ~. disconnects with exit 0", async () => {
    const child = admin.start(['instances', 'console', 'con-ct']);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const until = async (s: string) => {
      for (let i = 0; i < 400 && !out.includes(s); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out, err).toContain(s);
    };
    await until('root@con-ct:~# ');
    child.stdin.write('echo hi from the cli\r');
    await until('hi from the cli\r\n');
    child.stdin.write('~.');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(err).toContain('[Disconnected.]');
  });

  it('sends piped input and closes after it ends', async () => {
    const res = await admin.run(['instances', 'console', 'con-ct'], { input: 'hostname\r' });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('con-ct\r\n');
  });

  it("opens a VM's serial port by default and prints the web console URL for its screen", async () => {
    const serial = await admin.run(['instances', 'console', 'con-vm'], { input: 'uname -a\r' });
    expect(serial.code, serial.stderr).toBe(0);
    expect(serial.stdout).toContain('Linux con-vm');
    const vnc = await admin.run(['instances', 'console', 'con-vm', '--type', 'vnc']);
    expect(vnc.code).toBe(0);
    expect(vnc.stdout.trim()).toMatch(
      new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/compute/instances/i-[0-9a-f]{17}/console$`),
    );
  });

  it('explains what it cannot do: unknown instance (exit 5), a container has no serial port (exit 7)', async () => {
    expect((await admin.run(['instances', 'console', 'nope'])).code).toBe(5);
    const serial = await admin.run(['instances', 'console', 'con-ct', '--type', 'serial']);
    expect(serial.code).toBe(7);
    expect(serial.stderr).toContain('no serial port');
  });
});
