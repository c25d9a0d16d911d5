import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirmOrExit } from './command.ts';
import { CliError } from './errors.ts';

function streams(stdinTty: boolean, stderrTty: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY: stdinTty });
  const written: string[] = [];
  const output = Object.assign(new PassThrough(), { isTTY: stderrTty });
  output.on('data', (c: Buffer) => written.push(c.toString()));
  return { input, output, written: () => written.join('') };
}

async function refusal(p: Promise<void>): Promise<CliError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

describe('confirmOrExit', () => {
  it('--yes goes ahead without asking, terminal or not', async () => {
    await expect(confirmOrExit('Delete x?', true, streams(false, false))).resolves.toBeUndefined();
  });

  it('without a terminal on stdin it refuses with a usage error (exit 2) naming --yes', async () => {
    const err = await refusal(confirmOrExit('Delete x?', undefined, streams(false, true)));
    expect(err.exitCode).toBe(2);
    expect(err.code).toBe('confirmation_required');
    expect(err.message).toContain('--yes');
    expect(err.message).toContain('Delete x?');
    expect(err.message).toContain('stdin is not a terminal');
  });

  it('with stderr redirected (the question would be invisible) it refuses too', async () => {
    const err = await refusal(confirmOrExit('Delete x?', false, streams(true, false)));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('stderr is not a terminal');
  });

  it('on a terminal it asks: y goes ahead, anything else aborts', async () => {
    const yes = streams(true, true);
    const a = confirmOrExit('Delete x?', undefined, yes);
    yes.input.write('y\n');
    await expect(a).resolves.toBeUndefined();
    expect(yes.written()).toContain('Delete x? [y/N]');
    const no = streams(true, true);
    const b = confirmOrExit('Delete x?', undefined, no);
    no.input.write('\n');
    const err = await refusal(b);
    expect(err.code).toBe('aborted');
  });
});
