import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export const REPO = join(dirname(new URL(import.meta.url).pathname), '../..');

export function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

export function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? REPO,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** KEY='value' lines of an EnvironmentFile (as install.sh writes them). */
export function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    out[m[1] as string] = (m[2] as string).replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export interface Unit {
  execStart: string[];
  environmentFiles: { path: string; optional: boolean }[];
  environment: Record<string, string>;
  workingDirectory: string | null;
  user: string | null;
}

/** The [Service] settings a test needs to start the installed server as systemd would. */
export function parseUnit(text: string): Unit {
  const unit: Unit = {
    execStart: [],
    environmentFiles: [],
    environment: {},
    workingDirectory: null,
    user: null,
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || !line.includes('=')) continue;
    const key = line.slice(0, line.indexOf('='));
    const value = line.slice(line.indexOf('=') + 1);
    if (key === 'ExecStart') unit.execStart = value.split(/\s+/);
    else if (key === 'EnvironmentFile')
      unit.environmentFiles.push({ path: value.replace(/^-/, ''), optional: value.startsWith('-') });
    else if (key === 'Environment') {
      const [k, ...v] = value.split('=');
      unit.environment[k as string] = v.join('=');
    } else if (key === 'WorkingDirectory') unit.workingDirectory = value;
    else if (key === 'User') unit.user = value;
  }
  return unit;
}

/** Absolute paths inside the installed tree, seen from the temporary root. */
export function underRoot(root: string, value: string): string {
  return value.replace(
    /(^|[ =])(\/(opt\/proxicloud|etc\/proxicloud|var\/lib\/proxicloud)(\/[^ ]*)?)/g,
    `$1${root}$2`,
  );
}

/** Make `systemd-analyze verify --root` possible: the host's unit library and node inside the root. */
export function prepareRootForVerify(root: string): void {
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  if (!existsSync(join(root, 'usr/lib/systemd/system'))) {
    cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true });
  }
  const node = process.execPath;
  const inside = join(root, node);
  mkdirSync(dirname(inside), { recursive: true });
  if (!existsSync(inside)) {
    try {
      linkSync(node, inside);
    } catch {
      copyFileSync(node, inside);
    }
  }
}

export async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${log()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready: ${url}\n${log()}`);
}

export function startProcess(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  let output = '';
  const child = spawn(argv[0] as string, argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return {
    child,
    log: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
