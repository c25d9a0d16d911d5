/**
 * `npm run pve-sim -- [flags]`: runs the PVE simulator in the foreground and prints how to reach it.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './index.ts';

const HELP = `Usage: npm run pve-sim -- [options]

Runs a simulated Proxmox VE 9.2 cluster (HTTPS API on /api2/json, SSH host agent, consoles).

Options:
  --port <n>        HTTPS port (default 8006; 0 = pick a free port)
  --host <addr>     address to listen on (default 127.0.0.1)
  --nodes <n|list>  number of nodes (pve1..pveN) or a comma-separated list of names (default 1)
  --token <t>       API token 'user@realm!id=SECRET' (default: root@pam!ci=<generated>)
  --password <p>    root@pam password for ticket logins and SSH (default: generated)
  --latency <ms>    delay added to every HTTP response (default 0)
  --task-ms <ms>    duration of every task (default: realistic per task type; 0 = instant)
  --state <file>    persist the cluster to this JSON file (loaded at start, saved on change)
  --ssh-port <n>    SSH host-agent port (default: a free port); --no-ssh disables it
  --seed <n>        seed for deterministic ids and metrics
  --guests <n>      bulk-create n guests at start (benchmarks; ignored when --state loads a file)
  --verbose         log every SSH command and internal error
  -h, --help        show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      nodes: { type: 'string' },
      token: { type: 'string' },
      password: { type: 'string' },
      latency: { type: 'string' },
      'task-ms': { type: 'string' },
      state: { type: 'string' },
      'ssh-port': { type: 'string' },
      'no-ssh': { type: 'boolean' },
      seed: { type: 'string' },
      guests: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a non-negative integer, got '${v}'`);
    return Number(v);
  };
  const nodes =
    values.nodes === undefined
      ? undefined
      : /^\d+$/.test(values.nodes)
        ? Number(values.nodes)
        : values.nodes.split(',');
  const sim = await startSimulator({
    port: num('port', values.port) ?? 8006,
    host: values.host,
    nodes,
    token: values.token,
    password: values.password,
    latencyMs: num('latency', values.latency),
    taskDurationMs: num('task-ms', values['task-ms']),
    stateFile: values.state,
    ssh: values['no-ssh'] ? false : { port: num('ssh-port', values['ssh-port']) ?? 0 },
    seed: num('seed', values.seed),
    seedGuests: num('guests', values.guests),
    logger: values.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined,
  });
  const lines = [
    `PVE simulator (Proxmox VE 9.2.3) — nodes: ${sim.nodes.join(', ')}`,
    `  URL:          ${sim.url}  (API: ${sim.url}/api2/json)`,
    `  Fingerprint:  ${sim.fingerprint}`,
    `  API token:    ${sim.token}`,
    `  Auth header:  Authorization: PVEAPIToken=${sim.token}`,
    `  Login:        root@pam / ${sim.password}`,
  ];
  if (sim.ssh)
    lines.push(
      `  SSH:          ssh -p ${sim.ssh.port} root@${sim.ssh.host}  (password ${sim.ssh.password}; host key ${sim.ssh.hostKeyFingerprint})`,
    );
  lines.push(`  Test API:     ${sim.url}/_sim/state, POST ${sim.url}/_sim/faults`, '  Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`pve-sim: ${(e as Error).message}\n`);
  process.exit(1);
});
