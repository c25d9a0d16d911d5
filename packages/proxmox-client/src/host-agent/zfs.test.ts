import { describe, expect, it } from 'vitest';
import type { ExecOptions, ExecResult, Executor } from './executor.ts';
import { HostAgentCommandError, HostAgentValidationError, validateDataset, ZfsAgent } from './zfs.ts';

/** Process-boundary fake: records every argv it is asked to run and answers a canned result. */
class RecordingExecutor implements Executor {
  calls: string[][] = [];
  constructor(
    private readonly answer: (argv: readonly string[]) => ExecResult = () => ({
      stdout: '',
      stderr: '',
      exitCode: 0,
    }),
  ) {}
  async exec(argv: readonly string[], _opts?: ExecOptions): Promise<ExecResult> {
    this.calls.push([...argv]);
    return this.answer(argv);
  }
  async close(): Promise<void> {}
}

const PAYLOADS = [
  '; rm -rf /',
  'tank/ds; rm -rf /',
  '$(id)',
  'tank/$(id)',
  '`id`',
  'tank/`touch /tmp/pwned`',
  "tank/a'b",
  'tank/a"b',
  'tank/a\nzfs destroy -r tank',
  'tank/a\rb',
  '-o mountpoint=/etc',
  '-r',
  'tank/-o',
  '../etc',
  'tank/../../etc',
  'tank/./x',
  'tank//x',
  'tank/x/',
  '/tank',
  'tank/a b',
  'tank/a|b',
  'tank/a&b',
  'tank/a>b',
  'tank/a*',
  'tank/a\\b',
  'tank/a\u0000b',
  'tank/ä',
  '',
  'a'.repeat(300),
];

describe('ZfsAgent builds fixed argv', () => {
  it('create with compression and properties', async () => {
    const ex = new RecordingExecutor();
    await new ZfsAgent(ex).create('tank/proxicloud/s3/bucket-1', {
      compression: 'lz4',
      parents: true,
      properties: { quota: '10G', 'proxicloud:owner': 'usr-abc123' },
    });
    expect(ex.calls).toEqual([
      [
        'zfs',
        'create',
        '-p',
        '-o',
        'compression=lz4',
        '-o',
        'quota=10G',
        '-o',
        'proxicloud:owner=usr-abc123',
        'tank/proxicloud/s3/bucket-1',
      ],
    ]);
  });

  it('snapshot, rollback, clone, destroy, set, promote', async () => {
    const ex = new RecordingExecutor();
    const z = new ZfsAgent(ex, { zfsPath: '/usr/sbin/zfs' });
    expect(await z.snapshot('rpool/data/vm-100-disk-0', 'pc-snap-1')).toBe(
      'rpool/data/vm-100-disk-0@pc-snap-1',
    );
    await z.snapshot('rpool/data', 'all', { recursive: true });
    await z.rollback('rpool/data/vm-100-disk-0@pc-snap-1', { destroyNewer: true });
    await z.clone('rpool/data/vm-100-disk-0@pc-snap-1', 'rpool/data/vm-101-disk-0', {
      properties: { readonly: 'on' },
    });
    await z.destroy('rpool/data/vm-100-disk-0@pc-snap-1');
    await z.destroy('rpool/data/vm-101-disk-0', { recursive: true });
    await z.set('rpool/data/x', { quota: 'none', compression: 'gzip-6' });
    await z.promote('rpool/data/vm-101-disk-0');
    expect(ex.calls).toEqual([
      ['/usr/sbin/zfs', 'snapshot', 'rpool/data/vm-100-disk-0@pc-snap-1'],
      ['/usr/sbin/zfs', 'snapshot', '-r', 'rpool/data@all'],
      ['/usr/sbin/zfs', 'rollback', '-r', 'rpool/data/vm-100-disk-0@pc-snap-1'],
      [
        '/usr/sbin/zfs',
        'clone',
        '-o',
        'readonly=on',
        'rpool/data/vm-100-disk-0@pc-snap-1',
        'rpool/data/vm-101-disk-0',
      ],
      ['/usr/sbin/zfs', 'destroy', 'rpool/data/vm-100-disk-0@pc-snap-1'],
      ['/usr/sbin/zfs', 'destroy', '-r', 'rpool/data/vm-101-disk-0'],
      ['/usr/sbin/zfs', 'set', 'quota=none', 'rpool/data/x'],
      ['/usr/sbin/zfs', 'set', 'compression=gzip-6', 'rpool/data/x'],
      ['/usr/sbin/zfs', 'promote', 'rpool/data/vm-101-disk-0'],
    ]);
  });

  it('parses `zfs get -H -p` output for list and get', async () => {
    const out = [
      'tank\ttype\tfilesystem',
      'tank\tused\t1048576',
      'tank\tavailable\t9999',
      'tank\treferenced\t4096',
      'tank\tmountpoint\t/tank',
      'tank\tcreation\t1700000000',
      'tank\torigin\t-',
      'tank/c\ttype\tfilesystem',
      'tank/c\tused\t0',
      'tank/c\tavailable\t9999',
      'tank/c\treferenced\t4096',
      'tank/c\tmountpoint\t/tank/c',
      'tank/c\tcreation\t1700000100',
      'tank/c\torigin\ttank/a@s1',
      'tank/a@s1\ttype\tsnapshot',
      'tank/a@s1\tused\t0',
      'tank/a@s1\tavailable\t-',
      'tank/a@s1\treferenced\t4096',
      'tank/a@s1\tmountpoint\t-',
      'tank/a@s1\tcreation\t1700000050',
      'tank/a@s1\torigin\t-',
      '',
    ].join('\n');
    const ex = new RecordingExecutor(() => ({ stdout: out, stderr: '', exitCode: 0 }));
    const z = new ZfsAgent(ex);
    const fs = await z.list({ root: 'tank', recursive: true });
    expect(ex.calls[0]).toEqual([
      'zfs',
      'get',
      '-H',
      '-p',
      '-r',
      '-o',
      'name,property,value',
      'type,used,available,referenced,mountpoint,creation,origin',
      'tank',
    ]);
    expect(fs.map((d) => d.name)).toEqual(['tank', 'tank/c']);
    expect(fs[1]).toEqual({
      name: 'tank/c',
      type: 'filesystem',
      used: 0,
      available: 9999,
      referenced: 4096,
      mountpoint: '/tank/c',
      creation: 1700000100,
      origin: 'tank/a@s1',
    });
    const snaps = await z.list({ root: 'tank', depth: 2, type: 'snapshot' });
    expect(snaps).toEqual([
      {
        name: 'tank/a@s1',
        type: 'snapshot',
        used: 0,
        available: 0,
        referenced: 4096,
        mountpoint: null,
        creation: 1700000050,
        origin: null,
      },
    ]);

    const ex2 = new RecordingExecutor(() => ({
      stdout: 'compression\tlz4\tlocal\nused\t12345\t-\n',
      stderr: '',
      exitCode: 0,
    }));
    expect(await new ZfsAgent(ex2).get('tank/a', ['compression', 'used'])).toEqual({
      compression: { value: 'lz4', source: 'local' },
      used: { value: '12345', source: '-' },
    });
    expect(ex2.calls[0]).toEqual([
      'zfs',
      'get',
      '-H',
      '-p',
      '-o',
      'property,value,source',
      'compression,used',
      'tank/a',
    ]);
  });

  it('turns a non-zero exit into HostAgentCommandError with command, code and stderr', async () => {
    const ex = new RecordingExecutor(() => ({
      stdout: '',
      stderr: "cannot open 'tank/x': dataset does not exist\n",
      exitCode: 1,
    }));
    const err = await new ZfsAgent(ex).snapshot('tank/x', 's').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostAgentCommandError);
    expect(err).toMatchObject({
      command: 'zfs snapshot',
      exitCode: 1,
      stderr: "cannot open 'tank/x': dataset does not exist",
    });
  });
});

describe('sendTo: zfs send | zfs receive as one fixed script', () => {
  it('passes every name as a positional parameter, never inside the script', async () => {
    const ex = new RecordingExecutor();
    const z = new ZfsAgent(ex);
    expect(await z.sendTo('rpool/data/vm-1-disk-0@pc-a', 'backup/pc/vol-1')).toBe('backup/pc/vol-1@pc-a');
    await z.sendTo('rpool/data/vm-1-disk-0@pc-b', 'backup/pc/vol-1', { incrementalFrom: 'pc-a' });
    expect(ex.calls).toEqual([
      [
        'sh',
        '-c',
        '"$0" send "$1" | "$0" receive -F -u "$2"',
        'zfs',
        'rpool/data/vm-1-disk-0@pc-a',
        'backup/pc/vol-1',
      ],
      [
        'sh',
        '-c',
        '"$0" send -i "@$3" "$1" | "$0" receive -F -u "$2"',
        'zfs',
        'rpool/data/vm-1-disk-0@pc-b',
        'backup/pc/vol-1',
        'pc-a',
      ],
    ]);
  });

  it.each(PAYLOADS)('refuses %j before anything runs', async (payload) => {
    const ex = new RecordingExecutor();
    const z = new ZfsAgent(ex);
    await expect(z.sendTo(`${payload}@s`, 'backup/x')).rejects.toBeInstanceOf(HostAgentValidationError);
    await expect(z.sendTo('tank/a@s', payload)).rejects.toBeInstanceOf(HostAgentValidationError);
    await expect(z.sendTo('tank/a@s', 'backup/x', { incrementalFrom: payload })).rejects.toBeInstanceOf(
      HostAgentValidationError,
    );
    expect(ex.calls).toEqual([]);
  });

  it('a failed pipeline is a HostAgentCommandError', async () => {
    const ex = new RecordingExecutor(() => ({
      stdout: '',
      stderr: 'cannot receive: failed to read from stream',
      exitCode: 1,
    }));
    await expect(new ZfsAgent(ex).sendTo('tank/a@s', 'backup/x')).rejects.toMatchObject({
      command: 'zfs send',
      exitCode: 1,
    });
  });
});

describe('destroy retries while the dataset is busy (as PVE does)', () => {
  it('retries "dataset is busy" and then succeeds; other errors are not retried', async () => {
    let n = 0;
    const ex = new RecordingExecutor(() =>
      ++n < 3
        ? { stdout: '', stderr: "cannot destroy 'tank/a': dataset is busy\n", exitCode: 1 }
        : { stdout: '', stderr: '', exitCode: 0 },
    );
    await new ZfsAgent(ex).destroy('tank/a');
    expect(ex.calls).toHaveLength(3);
    const ex2 = new RecordingExecutor(() => ({
      stdout: '',
      stderr: "cannot open 'tank/b': dataset does not exist\n",
      exitCode: 1,
    }));
    await expect(new ZfsAgent(ex2).destroy('tank/b')).rejects.toBeInstanceOf(HostAgentCommandError);
    expect(ex2.calls).toHaveLength(1);
    const ex3 = new RecordingExecutor(() => ({ stdout: '', stderr: 'dataset is busy', exitCode: 1 }));
    await expect(new ZfsAgent(ex3).destroy('tank/c', { busyRetries: 1 })).rejects.toThrow(/busy/);
    expect(ex3.calls).toHaveLength(2);
  });
});

describe('injection payloads are refused before anything runs', () => {
  it.each(PAYLOADS)('dataset %j', async (payload) => {
    const ex = new RecordingExecutor();
    const z = new ZfsAgent(ex);
    const attempts = [
      () => z.create(payload),
      () => z.snapshot(payload, 'ok'),
      () => z.snapshot('tank/ok', payload),
      () => z.rollback(`${payload}@s`),
      () => z.rollback(`tank/ok@${payload}`),
      () => z.clone('tank/ok@s', payload),
      () => z.clone(`${payload}@s`, 'tank/ok2'),
      () => z.destroy(payload),
      () => z.set(payload, { quota: '1G' }),
      () => z.promote(payload),
      () => z.get(payload, ['used']),
      () => z.list({ root: payload }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(HostAgentValidationError);
    expect(ex.calls).toEqual([]);
  });

  it('refuses smuggled options and values in properties', async () => {
    const ex = new RecordingExecutor();
    const z = new ZfsAgent(ex);
    const bad: Array<() => Promise<unknown>> = [
      () => z.create('tank/a', { compression: 'lz4 -o mountpoint=/' }),
      () => z.create('tank/a', { compression: '$(id)' }),
      () => z.create('tank/a', { properties: { mountpoint: '/etc/../root' } }),
      () => z.create('tank/a', { properties: { mountpoint: "/x';reboot;'" } }),
      () => z.create('tank/a', { properties: { sharenfs: 'rw=@0.0.0.0/0' } }),
      () => z.create('tank/a', { properties: { 'mountpoint=/etc,-o x': 'y' } }),
      () => z.set('tank/a', { quota: '1G; rm -rf /' }),
      () => z.set('tank/a', { 'proxicloud:note': 'a b' }),
      () => z.set('tank/a', { 'proxicloud:note': '`id`' }),
      () => z.set('tank/a', { 'com.other:x': '1' }),
      () => z.set('tank/a', {}),
      () => z.get('tank/a', ['used;id']),
      () => z.get('tank/a', ['all']),
      () => z.get('tank/a', []),
      () => z.list({ depth: -1 }),
      () => z.list({ type: 'filesystem -r' as 'filesystem' }),
      () => z.destroy('tank'),
      () => z.rollback('tank/a'),
      () => z.rollback('tank/a@b@c'),
      () => z.snapshot('tank/a', '-r'),
    ];
    for (const b of bad) await expect(b()).rejects.toBeInstanceOf(HostAgentValidationError);
    expect(ex.calls).toEqual([]);
  });

  it('accepts the names PVE itself uses', () => {
    for (const ok of [
      'rpool/data/vm-100-disk-0',
      'rpool/data/subvol-101-disk-0',
      'tank/pc.s3:bucket_1',
      'a',
    ]) {
      expect(validateDataset(ok)).toBe(ok);
    }
  });
});
