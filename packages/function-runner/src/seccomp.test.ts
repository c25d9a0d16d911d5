/**
 * The generated seccomp program, run by a classic-BPF interpreter against `struct seccomp_data`
 * for both architectures (the real kernel check is in the server's functions.sandbox.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  ARCHES,
  CLONE_NAMESPACE_FLAGS,
  ENOSYS,
  EPERM,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  seccompProgram,
} from './seccomp.mjs';

/** Evaluate a classic-BPF seccomp program (the instructions the generator uses). */
function run(prog: Buffer, data: { nr: number; arch: number; args?: number[] }): number {
  const mem = Buffer.alloc(64);
  mem.writeInt32LE(data.nr, 0);
  mem.writeUInt32LE(data.arch, 4);
  for (const [i, a] of (data.args ?? []).entries()) mem.writeBigUInt64LE(BigInt(a), 16 + 8 * i);
  let acc = 0;
  for (let pc = 0; pc * 8 < prog.length; pc++) {
    const code = prog.readUInt16LE(pc * 8);
    const jt = prog.readUInt8(pc * 8 + 2);
    const jf = prog.readUInt8(pc * 8 + 3);
    const k = prog.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = mem.readUInt32LE(k);
    else if (code === 0x06) return k;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x45) pc += (acc & k) !== 0 ? jt : jf;
    else throw new Error(`unexpected opcode ${code.toString(16)}`);
  }
  throw new Error('fell off the end of the program');
}

const DENY = SECCOMP_RET_ERRNO | EPERM;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWNET = 0x40000000;
const THREAD_FLAGS = 0x003d0f00; // what pthread_create passes to clone
const OTHER_ARCH = { x86_64: 0x40000003 /* i386 */, aarch64: 0x40000028 /* arm */ } as const;
const READ = { x86_64: 0, aarch64: 63 } as const;
const GETPID = { x86_64: 39, aarch64: 172 } as const;

describe.each(['x86_64', 'aarch64'] as const)('seccomp program for %s', (arch) => {
  const prog = seccompProgram(arch);
  const a = ARCHES[arch];
  const call = (nr: number, ...args: number[]) => run(prog, { nr, arch: a.audit, args });

  it('is a whole number of instructions, short enough for the kernel (≤ 4096)', () => {
    expect(prog.length % 8).toBe(0);
    expect(prog.length / 8).toBeLessThan(4096);
  });

  it('refuses every call of the deny-list with EPERM and allows ordinary calls', () => {
    for (const [name, nr] of Object.entries(a.deny)) expect([name, call(nr)]).toEqual([name, DENY]);
    expect(a.deny).toMatchObject({ ptrace: expect.any(Number), kexec_load: expect.any(Number) });
    for (const name of ['mount', 'bpf', 'perf_event_open', 'keyctl', 'add_key', 'setns', 'userfaultfd'])
      expect(a.deny[name], name).toBeDefined();
    expect(call(READ[arch], 3, 0, 100)).toBe(SECCOMP_RET_ALLOW);
    expect(call(GETPID[arch])).toBe(SECCOMP_RET_ALLOW);
  });

  it('refuses unshare and clone with namespace flags, allows threads and plain forks', () => {
    expect(call(a.unshare, CLONE_NEWUSER)).toBe(DENY);
    expect(call(a.unshare, 0x400 /* CLONE_FILES */)).toBe(SECCOMP_RET_ALLOW);
    expect(call(a.clone, CLONE_NEWNET | 17)).toBe(DENY);
    expect(call(a.clone, 0x80 /* CLONE_NEWTIME */)).toBe(DENY);
    expect(call(a.clone, THREAD_FLAGS)).toBe(SECCOMP_RET_ALLOW);
    expect(call(a.clone, 17 /* SIGCHLD: fork */)).toBe(SECCOMP_RET_ALLOW);
    expect(CLONE_NAMESPACE_FLAGS & THREAD_FLAGS).toBe(0);
    // clone3's flags are in memory BPF cannot read: ENOSYS makes the C library use clone
    expect(call(a.clone3)).toBe(SECCOMP_RET_ERRNO | ENOSYS);
  });

  it('allows only the personality query and PER_LINUX', () => {
    expect(call(a.personality, 0xffffffff)).toBe(SECCOMP_RET_ALLOW);
    expect(call(a.personality, 0)).toBe(SECCOMP_RET_ALLOW);
    expect(call(a.personality, 0x0008 /* PER_LINUX32 */)).toBe(DENY);
    expect(call(a.personality, 0x0040000 /* ADDR_NO_RANDOMIZE */)).toBe(DENY);
  });

  it('refuses system calls of another ABI (arch check), x32 on x86_64', () => {
    expect(run(prog, { nr: GETPID[arch], arch: OTHER_ARCH[arch] })).toBe(DENY);
    expect(run(prog, { nr: READ[arch], arch: ARCHES[arch === 'x86_64' ? 'aarch64' : 'x86_64'].audit })).toBe(
      DENY,
    );
    if (arch === 'x86_64') expect(call(0x40000000 | 39)).toBe(DENY);
  });
});
