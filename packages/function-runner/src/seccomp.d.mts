export const SECCOMP_RET_ALLOW: number;
export const SECCOMP_RET_ERRNO: number;
export const EPERM: number;
export const ENOSYS: number;
export const CLONE_NAMESPACE_FLAGS: number;
export interface ArchTable {
  audit: number;
  deny: Record<string, number>;
  unshare: number;
  clone: number;
  clone3: number;
  personality: number;
  x32Bit?: number;
}
export const ARCHES: Record<'x86_64' | 'aarch64', ArchTable>;
export function hostArch(): 'x86_64' | 'aarch64' | null;
export function seccompProgram(arch: 'x86_64' | 'aarch64'): Buffer;
