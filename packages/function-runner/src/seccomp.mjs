// @ts-check
/**
 * The sandboxes' seccomp filter: a classic-BPF program (the format `bwrap --seccomp FD` loads with
 * PR_SET_SECCOMP) generated here at start-up — no libseccomp, no compiler, no shipped binary blob.
 *
 * A deny-list: everything is allowed except the kernel interfaces a function has no business with
 * and that widen the kernel attack surface (the list follows Docker's default profile where it
 * blocks by default). Denied calls fail with EPERM; `clone3` fails with ENOSYS (its flags sit in a
 * struct BPF cannot read; the C library then falls back to `clone`, whose flags are checked).
 *
 *  - debugging other processes: ptrace, process_vm_readv/writev, personality (except the query
 *    0xffffffff and PER_LINUX 0);
 *  - namespaces: unshare and clone with any CLONE_NEW* flag, setns;
 *  - kernel and system state: mount/umount2/pivot_root and the new mount API, swapon/off, reboot,
 *    sethostname/setdomainname, (f)init_module/delete_module, kexec_load/kexec_file_load, acct,
 *    quotactl, syslog, the clock setters, (x86) iopl/ioperm, uselib, _sysctl;
 *  - large attack surface: bpf, perf_event_open, userfaultfd, keyctl/add_key/request_key,
 *    io_uring, lookup_dcookie, open_by_handle_at/name_to_handle_at.
 *
 * The first instruction checks the architecture (AUDIT_ARCH_X86_64 or AUDIT_ARCH_AARCH64, little
 * endian): system calls of another ABI (i386 via int 0x80, x32) fail with EPERM, so the numbers of
 * the deny-list cannot be sidestepped.
 */
import { endianness } from 'node:os';

// struct sock_filter opcodes (linux/filter.h, linux/bpf_common.h)
const LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JGE_K = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const JSET_K = 0x45; // BPF_JMP | BPF_JSET | BPF_K
const RET_K = 0x06; // BPF_RET | BPF_K

// seccomp return values (linux/seccomp.h)
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const EPERM = 1;
export const ENOSYS = 38;

// struct seccomp_data offsets: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0_LOW = 16; // little endian: the low 32 bits of args[0]

/** CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME */
export const CLONE_NAMESPACE_FLAGS =
  0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;

/**
 * @typedef {object} ArchTable
 * @property {number} audit      AUDIT_ARCH_* value
 * @property {Record<string, number>} deny    always EPERM
 * @property {number} unshare
 * @property {number} clone
 * @property {number} clone3
 * @property {number} personality
 * @property {number} [x32Bit]   syscall numbers at or above it are another ABI (x86_64: x32)
 */

const COMMON_NEW_MOUNT_API = {
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  mount_setattr: 442,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
};

/** System call numbers (asm/unistd_64.h for x86_64, asm-generic/unistd.h for aarch64). */
export const ARCHES = /** @type {Record<'x86_64' | 'aarch64', ArchTable>} */ ({
  x86_64: {
    audit: 0xc000003e,
    x32Bit: 0x40000000,
    unshare: 272,
    clone: 56,
    clone3: 435,
    personality: 135,
    deny: {
      ptrace: 101,
      process_vm_readv: 310,
      process_vm_writev: 311,
      setns: 308,
      mount: 165,
      umount2: 166,
      pivot_root: 155,
      swapon: 167,
      swapoff: 168,
      reboot: 169,
      sethostname: 170,
      setdomainname: 171,
      init_module: 175,
      finit_module: 313,
      delete_module: 176,
      create_module: 174,
      kexec_load: 246,
      kexec_file_load: 320,
      bpf: 321,
      perf_event_open: 298,
      userfaultfd: 323,
      keyctl: 250,
      add_key: 248,
      request_key: 249,
      acct: 163,
      quotactl: 179,
      syslog: 103,
      lookup_dcookie: 212,
      open_by_handle_at: 304,
      name_to_handle_at: 303,
      settimeofday: 164,
      clock_settime: 227,
      clock_adjtime: 305,
      adjtimex: 159,
      iopl: 172,
      ioperm: 173,
      uselib: 134,
      _sysctl: 156,
      nfsservctl: 180,
      ...COMMON_NEW_MOUNT_API,
    },
  },
  aarch64: {
    audit: 0xc00000b7,
    unshare: 97,
    clone: 220,
    clone3: 435,
    personality: 92,
    deny: {
      ptrace: 117,
      process_vm_readv: 270,
      process_vm_writev: 271,
      setns: 268,
      mount: 40,
      umount2: 39,
      pivot_root: 41,
      swapon: 224,
      swapoff: 225,
      reboot: 142,
      sethostname: 161,
      setdomainname: 162,
      init_module: 105,
      finit_module: 273,
      delete_module: 106,
      kexec_load: 104,
      kexec_file_load: 294,
      bpf: 280,
      perf_event_open: 241,
      userfaultfd: 282,
      keyctl: 219,
      add_key: 217,
      request_key: 218,
      acct: 89,
      quotactl: 60,
      syslog: 116,
      lookup_dcookie: 18,
      open_by_handle_at: 265,
      name_to_handle_at: 264,
      settimeofday: 170,
      clock_settime: 112,
      clock_adjtime: 266,
      adjtimex: 171,
      nfsservctl: 42,
      ...COMMON_NEW_MOUNT_API,
    },
  },
});

/** The seccomp architecture name of this process (null: no filter for it). */
export function hostArch() {
  if (endianness() !== 'LE') return null;
  return process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : null;
}

/**
 * @typedef {{ code: number, jt: number, jf: number, k: number }} Insn
 * @typedef {{ op: number, k: number, t?: string, f?: string } | { label: string }} Item
 */

/** Resolve labels into forward jump offsets. @param {Item[]} items @returns {Insn[]} */
function assemble(items) {
  /** @type {Map<string, number>} */
  const at = new Map();
  let n = 0;
  for (const it of items) {
    if ('label' in it) at.set(it.label, n);
    else n++;
  }
  /** @type {Insn[]} */
  const out = [];
  for (const it of items) {
    if ('label' in it) continue;
    const pc = out.length;
    const off = (/** @type {string | undefined} */ l) => {
      if (l === undefined) return 0; // fall through to the next instruction
      const target = at.get(l);
      if (target === undefined) throw new Error(`seccomp: no label ${l}`);
      const d = target - pc - 1;
      if (d < 0 || d > 255) throw new Error(`seccomp: jump to ${l} out of range (${d})`);
      return d;
    };
    out.push({ code: it.op, jt: off(it.t), jf: off(it.f), k: it.k >>> 0 });
  }
  return out;
}

/**
 * The filter program for an architecture, as `struct sock_filter[]` bytes (host byte order:
 * little endian on both supported architectures).
 * @param {'x86_64' | 'aarch64'} arch
 * @returns {Buffer}
 */
export function seccompProgram(arch) {
  const a = ARCHES[arch];
  if (!a) throw new Error(`seccomp: unsupported architecture ${arch}`);
  /** @type {Item[]} */
  const p = [
    { op: LD_W_ABS, k: OFF_ARCH },
    { op: JEQ_K, k: a.audit, f: 'deny' },
    { op: LD_W_ABS, k: OFF_NR },
  ];
  if (a.x32Bit) p.push({ op: JGE_K, k: a.x32Bit, t: 'deny' });
  for (const nr of Object.values(a.deny)) p.push({ op: JEQ_K, k: nr, t: 'deny' });
  p.push(
    { op: JEQ_K, k: a.clone3, t: 'enosys' },
    { op: JEQ_K, k: a.unshare, t: 'nsflags' },
    { op: JEQ_K, k: a.clone, t: 'nsflags' },
    { op: JEQ_K, k: a.personality, t: 'personality' },
    { op: RET_K, k: SECCOMP_RET_ALLOW },
    { label: 'nsflags' },
    { op: LD_W_ABS, k: OFF_ARG0_LOW },
    { op: JSET_K, k: CLONE_NAMESPACE_FLAGS, t: 'deny', f: 'allow' },
    { label: 'personality' },
    { op: LD_W_ABS, k: OFF_ARG0_LOW },
    { op: JEQ_K, k: 0xffffffff, t: 'allow' },
    { op: JEQ_K, k: 0, t: 'allow', f: 'deny' },
    { label: 'allow' },
    { op: RET_K, k: SECCOMP_RET_ALLOW },
    { label: 'deny' },
    { op: RET_K, k: SECCOMP_RET_ERRNO | EPERM },
    { label: 'enosys' },
    { op: RET_K, k: SECCOMP_RET_ERRNO | ENOSYS },
  );
  const insns = assemble(p);
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((ins, i) => {
    buf.writeUInt16LE(ins.code, i * 8);
    buf.writeUInt8(ins.jt, i * 8 + 2);
    buf.writeUInt8(ins.jf, i * 8 + 3);
    buf.writeUInt32LE(ins.k, i * 8 + 4);
  });
  return buf;
}
