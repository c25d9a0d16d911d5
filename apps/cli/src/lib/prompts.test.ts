import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors.ts';
import { confirm, promptHidden, promptText, readStdin } from './prompts.ts';

/** A terminal-like stdin: a stream with isTTY and raw-mode tracking. */
function fakeTty() {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    rawCalls: [] as boolean[],
    setRawMode(mode: boolean) {
      this.isRaw = mode;
      this.rawCalls.push(mode);
      return this;
    },
  });
  const written: string[] = [];
  const output = { write: (c: string) => written.push(c) };
  return { input, output, written: () => written.join('') };
}

describe('promptHidden', () => {
  it('reads a secret without echoing it and restores the terminal', async () => {
    const t = fakeTty();
    const answer = promptHidden('Password: ', t);
    t.input.write('s3cr');
    t.input.write('etx\u007f!\r');
    await expect(answer).resolves.toBe('s3cret!');
    expect(t.written()).toBe('Password: \n');
    expect(t.input.rawCalls).toEqual([true, false]);
  });

  it('Ctrl-U clears, Ctrl-C aborts', async () => {
    const t = fakeTty();
    const a = promptHidden('P: ', t);
    t.input.write('wrong\u0015right\n');
    await expect(a).resolves.toBe('right');
    const b = promptHidden('P: ', t);
    t.input.write('abc\u0003');
    await expect(b).rejects.toThrowError(/Interrupted/);
    expect(t.input.isRaw).toBe(false);
  });

  it('refuses when stdin is not a terminal', async () => {
    const input = new PassThrough();
    await expect(promptHidden('P: ', { input, output: { write: () => {} } })).rejects.toThrowError(
      /stdin is not a terminal/,
    );
  });
});

describe('promptText / confirm', () => {
  it('reads one trimmed line', async () => {
    const t = fakeTty();
    const p = promptText('Username: ', t);
    t.input.write('  alice \n');
    await expect(p).resolves.toBe('alice');
    expect(t.written()).toBe('Username: ');
  });

  it('confirm is yes only for y/yes', async () => {
    for (const [typed, expected] of [
      ['y', true],
      ['YES', true],
      ['', false],
      ['n', false],
      ['yep', false],
    ] as const) {
      const t = fakeTty();
      const p = confirm('Delete?', t);
      t.input.write(`${typed}\n`);
      await expect(p).resolves.toBe(expected);
    }
  });
});

describe('readStdin', () => {
  it('returns everything minus one trailing newline', async () => {
    for (const [raw, expected] of [
      ['pass word\n', 'pass word'],
      ['pw\r\n', 'pw'],
      ['pw\n\n', 'pw\n'],
      ['  spaced  ', '  spaced  '],
    ]) {
      const input = new PassThrough();
      input.end(raw);
      await expect(readStdin(input)).resolves.toBe(expected);
    }
  });

  it('refuses a terminal', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    await expect(readStdin(input, 'password')).rejects.toBeInstanceOf(CliError);
  });
});
