import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppSetupAgent, lineSplitter } from './app-setup.ts';
import { type ExecOptions, type ExecResult, type Executor, LocalExecutor } from './executor.ts';

describe('lineSplitter', () => {
  it('delivers whole lines per stream across chunks; flush delivers the unterminated rest', () => {
    const got: [string, string][] = [];
    const s = lineSplitter((stream, line) => got.push([stream, line]));
    s.push('stdout', 'one\ntw');
    s.push('stderr', 'E: par');
    s.push('stdout', 'o\r\nthree');
    expect(got).toEqual([
      ['stdout', 'one'],
      ['stdout', 'two'],
    ]);
    s.push('stderr', 'tial\n');
    s.flush();
    expect(got).toEqual([
      ['stdout', 'one'],
      ['stdout', 'two'],
      ['stderr', 'E: partial'],
      ['stdout', 'three'],
    ]);
  });
});

describe('AppSetupAgent.runPhase', () => {
  it('hands each line to onLine while the command runs', async () => {
    const seen: string[] = [];
    let beforeEnd: string[] = [];
    const exec: Executor = {
      async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
        expect(argv).toEqual([
          'pct',
          'exec',
          '101',
          '--',
          '/bin/bash',
          '/root/.proxicloud/app/setup.sh',
          'install',
        ]);
        opts.onOutput?.('stdout', '[pc] installing\n[pc] do');
        opts.onOutput?.('stdout', 'ne\n');
        beforeEnd = [...seen];
        return { stdout: '[pc] installing\n[pc] done\n', stderr: '', exitCode: 0 };
      },
      async close() {},
    };
    const res = await new AppSetupAgent(exec).runPhase(101, 'install', {}, (_s, l) => seen.push(l));
    expect(beforeEnd).toEqual(['[pc] installing', '[pc] done']);
    expect(seen).toEqual(['[pc] installing', '[pc] done']);
    expect(res.exitCode).toBe(0);
  });

  it('falls back to the whole output when the executor does not stream', async () => {
    const exec: Executor = {
      exec: async () => ({ stdout: 'a\nb\n', stderr: 'oops', exitCode: 3 }),
      async close() {},
    };
    const seen: [string, string][] = [];
    const res = await new AppSetupAgent(exec).runPhase(101, 'configure', {}, (s, l) => seen.push([s, l]));
    expect(seen).toEqual([
      ['stdout', 'a'],
      ['stdout', 'b'],
      ['stderr', 'oops'],
    ]);
    expect(res.exitCode).toBe(3);
  });
});

describe('LocalExecutor onOutput', () => {
  it('reports output before the program ends (the program waits for the reader to see it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-exec-'));
    const flag = join(dir, 'seen');
    const chunks: string[] = [];
    const res = await new LocalExecutor().exec(
      ['/bin/sh', '-c', 'echo first; while [ ! -e "$0" ]; do sleep 0.05; done; echo second', flag],
      {
        timeoutMs: 60_000,
        onOutput: (_s, c) => {
          chunks.push(c);
          if (c.includes('first')) writeFileSync(flag, '');
        },
      },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toBe('first\nsecond\n');
    expect(chunks.join('')).toBe('first\nsecond\n');
  });
});
