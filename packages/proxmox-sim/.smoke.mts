import { startSimulator } from './src/index.ts';
import { client } from './test/http.ts';

const sim = await startSimulator({ port: 0, nodes: 2, taskDurationMs: 0, seed: 1, logger: console.log });
const { call, waitTask } = client(sim);
const show = async (m: string, p: string, b?: Record<string, string>) => {
  const r = await call(m, p, b);
  console.log(m, p, r.status, r.reason, r.raw.slice(0, 500));
  return r;
};
await show('GET', '/version');
await show('GET', '/cluster/nextid');
const up = await show('POST', '/nodes/pve1/qemu', {
  vmid: '100',
  name: 'web1',
  memory: '2048',
  scsi0: 'local-zfs:32',
  ide2: 'local-zfs:cloudinit',
  net0: 'virtio,bridge=vmbr0',
  agent: '1',
  scsihw: 'virtio-scsi-single',
});
console.log(await waitTask('pve1', up.body.data as string));
await show('GET', `/nodes/pve1/tasks/${encodeURIComponent(up.body.data as string)}/log`);
await show('GET', '/nodes/pve1/qemu/100/config');
const st = await show('POST', '/nodes/pve1/qemu/100/status/start');
await waitTask('pve1', st.body.data as string);
await show('POST', '/nodes/pve1/qemu/100/status/start');
await show('GET', '/nodes/pve1/qemu/100/agent/network-get-interfaces');
await show('GET', '/cluster/resources', { type: 'vm' });
await show('GET', '/nodes/pve1/storage/local-zfs/content');
await show('GET', '/nodes/pve1/storage');
await show('GET', '/nodes/pve1/qemu/100');
await show('GET', '/nodes/pve9/qemu');
await show('GET', '/foo');
const c = await show('POST', '/nodes/pve1/lxc', {
  vmid: '101',
  ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
  rootfs: 'local-zfs:8',
  net0: 'name=eth0,bridge=vmbr0,ip=dhcp',
});
console.log(await waitTask('pve1', c.body.data as string));
await show('GET', '/nodes/pve1/lxc/101/config');
await sim.close();
