/**
 * ProxiCloud-managed containers (NAT VMs, function runners): placement, create + start, setup
 * through the SSH host agent, address, state and destroy. A helper module without routes.
 */
export * from './managed-ct.ts';
