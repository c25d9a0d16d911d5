import { execFileSync } from 'node:child_process';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { shellWords } from '../src/shell-words.ts';
import { client } from './http.ts';

let sim: Simulator;
let conn: ssh2.Client;
let hostKeySeen = '';

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 2, taskDurationMs: 0, seed: 11 });
  const api = client(sim);
  await api.waitTask(
    'pve1',
    (await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 100, scsi0: 'local-zfs:4' })).body.data,
  );
  conn = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    conn
      .on('ready', () => resolve())
      .on('error', reject)
      .connect({
        host: sim.ssh!.host,
        port: sim.ssh!.port,
        username: sim.ssh!.username,
        password: sim.ssh!.password,
        hostHash: 'sha256',
        hostVerifier: (hash: string) => {
          hostKeySeen = hash;
          return true;
        },
      });
  });
});
afterAll(async () => {
  conn?.end();
  await sim.close();
});

function run(cmd: string): Promise<{ out: string; err: string; code: number }> {
  return new Promise((resolve, reject) => {
    conn.exec(cmd, (e, stream) => {
      if (e) return reject(e);
      let out = '';
      let err = '';
      stream.on('data', (d: Buffer) => (out += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (err += d.toString()));
      stream.on('close', (code: number) => resolve({ out, err, code }));
    });
  });
}

describe('ssh host agent', () => {
  it('presents the announced host key', () => {
    expect(sim.ssh!.hostKeyFingerprint).toBe(
      `SHA256:${Buffer.from(hostKeySeen, 'hex').toString('base64').replace(/=+$/, '')}`,
    );
  });

  it('lists datasets that match the storage content', async () => {
    const r = await run('zfs list -H -p -o name,volsize -t volume -r rpool/data');
    expect(r).toEqual({ out: `rpool/data/vm-100-disk-0\t${4 * 1024 ** 3}\n`, err: '', code: 0 });
    const depth = await run('zfs list -H -o name -d 1 rpool');
    expect(depth.out).toBe('rpool\nrpool/data\n');
    const missing = await run('zfs list rpool/nope');
    expect(missing).toEqual({ out: '', err: "cannot open 'rpool/nope': dataset does not exist\n", code: 1 });
  });

  it('snapshots, rolls back (refusing without -r like zfs), clones and promotes', async () => {
    expect((await run('zfs snapshot rpool/data/vm-100-disk-0@a')).code).toBe(0);
    expect((await run('zfs snapshot rpool/data/vm-100-disk-0@b')).code).toBe(0);
    const dup = await run('zfs snapshot rpool/data/vm-100-disk-0@b');
    expect(dup.err).toBe("cannot create snapshot 'rpool/data/vm-100-disk-0@b': dataset already exists\n");
    const rb = await run('zfs rollback rpool/data/vm-100-disk-0@a');
    expect(rb.code).toBe(1);
    expect(rb.err).toContain('more recent snapshots or bookmarks exist');
    expect((await run('zfs rollback -r rpool/data/vm-100-disk-0@a')).code).toBe(0);
    expect((await run('zfs list -H -o name -t snapshot -r rpool/data')).out).toBe(
      'rpool/data/vm-100-disk-0@a\n',
    );
    expect(
      (await run("zfs clone -o compression=lz4 rpool/data/vm-100-disk-0@a 'rpool/data/vm-100-disk-1'")).code,
    ).toBe(0);
    // the clone IS a storage volume now
    const api = client(sim);
    const content = await api.call<{ volid: string }[]>('GET', '/nodes/pve1/storage/local-zfs/content');
    expect(content.body.data.map((v) => v.volid)).toContain('local-zfs:vm-100-disk-1');
    const busy = await run('zfs destroy rpool/data/vm-100-disk-0@a');
    expect(busy.err).toBe(
      "cannot destroy 'rpool/data/vm-100-disk-0@a': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\nrpool/data/vm-100-disk-1\n",
    );
    expect((await run('zfs promote rpool/data/vm-100-disk-1')).code).toBe(0);
    expect((await run('zfs get -H -o value origin rpool/data/vm-100-disk-0')).out).toBe(
      'rpool/data/vm-100-disk-1@a\n',
    );
    const notClone = await run('zfs promote rpool/data/vm-100-disk-1');
    expect(notClone.err).toBe("cannot promote 'rpool/data/vm-100-disk-1': not a cloned filesystem\n");
  });

  it('creates datasets for object storage with properties and quotas', async () => {
    const noParent = await run('zfs create tank/s3/b1');
    expect(noParent).toMatchObject({ code: 1, err: "cannot create 'tank/s3/b1': parent does not exist\n" });
    expect((await run('zfs create -p -o compression=zstd -o quota=10G tank/s3/b1')).code).toBe(0);
    const get = await run('zfs get -H -p -o name,property,value compression,quota tank/s3/b1');
    expect(get.out).toBe(`tank/s3/b1\tcompression\tzstd\ntank/s3/b1\tquota\t${10 * 1024 ** 3}\n`);
    expect((await run('zfs set quota=20G tank/s3/b1')).code).toBe(0);
    const bad = await run('zfs set compression=snappy tank/s3/b1');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("'compression' must be one of");
    const parentBusy = await run('zfs destroy tank/s3');
    expect(parentBusy.err).toBe(
      "cannot destroy 'tank/s3': filesystem has children\nuse '-r' to destroy the following datasets:\ntank/s3/b1\n",
    );
    expect((await run('zfs destroy -r tank/s3')).code).toBe(0);
    expect((await run('zfs list tank/s3')).code).toBe(1);
  });

  it('reports usage errors with exit 2 and unknown commands with exit 127', async () => {
    const u = await run('zfs list -x');
    expect(u.code).toBe(2);
    expect(u.err).toContain("invalid option 'x'");
    expect((await run('zfs')).code).toBe(2);
    expect(await run('ls /')).toEqual({ out: '', err: 'bash: line 1: ls: command not found\n', code: 127 });
  });

  it('treats injection attempts as literal arguments rejected by name validation', async () => {
    const payloads: [string, string][] = [
      ['zfs list "rpool; rm -rf /"', "cannot open 'rpool; rm -rf /': invalid character ';' in name\n"],
      ['zfs list rpool;rm', "cannot open 'rpool;rm': invalid character ';' in name\n"],
      ['zfs list $(id)', "cannot open '$(id)': invalid character '$' in name\n"],
      ['zfs list `id`', "cannot open '`id`': invalid character '`' in name\n"],
      ["zfs create 'tank/a\nb'", "cannot create 'tank/a\nb': invalid character '\n' in name\n"],
      [
        'zfs snapshot "rpool/data@x|y"',
        "cannot create snapshot 'rpool/data@x|y': invalid character '|' in name\n",
      ],
      [
        'zfs destroy "rpool/data && reboot"',
        "cannot open 'rpool/data && reboot': invalid character ' ' in name\n",
      ],
    ];
    for (const [cmd, err] of payloads) {
      const r = await run(cmd);
      expect(r, cmd).toEqual({ out: '', err, code: 1 });
    }
    // nothing was created or destroyed along the way
    expect((await run('zfs list -H -o name rpool/data')).out).toBe('rpool/data\n');
  });

  it('selects the node by user name root@<node>', async () => {
    const other = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      other
        .on('ready', () => resolve())
        .on('error', reject)
        .connect({
          host: sim.ssh!.host,
          port: sim.ssh!.port,
          username: 'root@pve2',
          password: sim.ssh!.password,
        });
    });
    const out = await new Promise<string>((resolve) =>
      other.exec('zfs list -H -o name -r rpool/data', (_e, s) => {
        let o = '';
        s.on('data', (d: Buffer) => (o += d));
        s.on('close', () => resolve(o));
      }),
    );
    other.end();
    expect(out).toBe('rpool/data\n');
  });

  it('fails commands with exit 255 while the node is offline', async () => {
    sim.faults.nodeOffline('pve1', true);
    try {
      const r = await run('zfs list');
      expect(r.code).toBe(255);
    } finally {
      sim.faults.nodeOffline('pve1', false);
    }
    expect((await run('zfs list -H -o name rpool')).out).toBe('rpool\n');
  });

  it('rejects wrong passwords', async () => {
    const bad = new ssh2.Client();
    await expect(
      new Promise<void>((resolve, reject) => {
        bad
          .on('ready', () => resolve())
          .on('error', reject)
          .connect({ host: sim.ssh!.host, port: sim.ssh!.port, username: 'root', password: 'wrong' });
      }),
    ).rejects.toThrow(/authentication/i);
  });
});

describe('shellWords', () => {
  it('follows POSIX quoting and never interprets operators', () => {
    expect(shellWords(`zfs set 'com.x:note=a b' "tank/x"`)).toEqual([
      'zfs',
      'set',
      'com.x:note=a b',
      'tank/x',
    ]);
    expect(shellWords('a\\ b "c\\"d" \'e\\f\'')).toEqual(['a b', 'c"d', 'e\\f']);
    expect(shellWords('zfs list; rm -rf / | cat && $(x) `y`')).toEqual([
      'zfs',
      'list;',
      'rm',
      '-rf',
      '/',
      '|',
      'cat',
      '&&',
      '$(x)',
      '`y`',
    ]);
    expect(() => shellWords("zfs list 'open")).toThrow('unterminated single quote');
  });
  it('matches the words a real POSIX shell would pass (printf %s\\n)', () => {
    let sh = true;
    try {
      execFileSync('sh', ['-c', 'true']);
    } catch {
      sh = false;
    }
    if (!sh) return;
    const line = `a 'b c' "d \\"e\\" \\$f" g\\ h 'i\\j'`;
    const expected = execFileSync('sh', ['-c', `printf '%s\\n' ${line}`])
      .toString()
      .split('\n')
      .slice(0, -1);
    expect(shellWords(line)).toEqual(expected);
  });
});
