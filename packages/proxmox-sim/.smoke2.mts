import ssh2 from 'ssh2';
import { startSimulator } from './src/index.ts';
import { client } from './test/http.ts';

const sim = await startSimulator({ port: 0, taskDurationMs: 0, seed: 1 });
const { call, waitTask } = client(sim);
const up = await call('POST', '/nodes/pve1/qemu', { vmid: '100', scsi0: 'local-zfs:32' });
await waitTask('pve1', up.body.data as string);
console.log(sim.ssh);
const conn = new ssh2.Client();
await new Promise<void>((res, rej) => {
  conn
    .on('ready', () => res())
    .on('error', rej)
    .connect({
      host: sim.ssh!.host,
      port: sim.ssh!.port,
      username: 'root',
      password: sim.ssh!.password,
      hostVerifier: () => true,
    });
});
const exec = (cmd: string) =>
  new Promise<void>((res) =>
    conn.exec(cmd, (err, stream) => {
      if (err) throw err;
      let o = '',
        e = '';
      stream.on('data', (d: Buffer) => (o += d)).stderr.on('data', (d: Buffer) => (e += d));
      stream.on('close', (code: number) => {
        console.log(`$ ${cmd}\n${o}${e}[exit ${code}]`);
        res();
      });
    }),
  );
await exec('zfs list');
await exec('zfs list -H -p -o name,volsize,used -t volume -r rpool/data');
await exec('zfs snapshot rpool/data/vm-100-disk-0@s1');
await exec('zfs snapshot rpool/data/vm-100-disk-0@s2');
await exec('zfs rollback rpool/data/vm-100-disk-0@s1');
await exec('zfs clone rpool/data/vm-100-disk-0@s1 rpool/data/vm-100-disk-1');
await exec('zfs list -t all -r rpool/data');
await exec('zfs destroy rpool/data/vm-100-disk-0@s1');
await exec('zfs create -o compression=zstd -o quota=10G tank/s3/bucket1');
await exec('zfs create -p -o compression=zstd -o quota=10G tank/s3/bucket1');
await exec('zfs get -H -p -o name,property,value compression,quota,used tank/s3/bucket1');
await exec("zfs list 'tank; rm -rf /'");
await exec('zfs list tank; rm -rf /');
await exec('zfs list $(whoami)');
await exec('rm -rf /');
await exec('zfs frob');
await exec('zfs promote rpool/data/vm-100-disk-1');
await exec('zfs list -t all -o name,origin -r rpool/data');
const c = await call('GET', '/nodes/pve1/storage/local-zfs/content');
console.log(c.raw);
conn.end();
await sim.close();
