/**
 * The `proxicloud` command tree. One file per command group under src/commands/; shared code in
 * src/lib/. Global options live on the root command and are read with `contextOf(cmd)`.
 */
import { Command, Option } from 'commander';
import { registerAccessKeyCommands } from './commands/access-keys.ts';
import { registerAdminCommands } from './commands/admin.ts';
import { registerAlarmCommands } from './commands/alarms.ts';
import { registerAppCommands } from './commands/apps.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerAuthCommands } from './commands/auth.ts';
import { registerBackupCommands } from './commands/backups.ts';
import { registerCatalogCommands } from './commands/catalog.ts';
import { registerConfigureCommands } from './commands/configure.ts';
import { registerInstanceConsoleCommand } from './commands/console.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerFunctionCommands } from './commands/functions.ts';
import { registerInstanceSecretCommands } from './commands/instance-secrets.ts';
import { registerInstanceCommands } from './commands/instances.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerInstanceMetricsCommand } from './commands/metrics.ts';
import { registerNatGatewayCommands } from './commands/nat-gateways.ts';
import { registerNetworkCommands } from './commands/networks.ts';
import { registerNodeMetricsCommands } from './commands/node-metrics.ts';
import { registerNotificationCommands } from './commands/notifications.ts';
import { registerPeeringCommands } from './commands/peerings.ts';
import { registerQuotaCommands } from './commands/quotas.ts';
import { registerRoleCommands } from './commands/roles.ts';
import { registerRouteTableCommands } from './commands/route-tables.ts';
import { registerS3Commands } from './commands/s3.ts';
import { registerSecretCommands } from './commands/secrets.ts';
import { registerServerCommands } from './commands/server.ts';
import { registerSnapshotCommands } from './commands/snapshots.ts';
import { registerStackCommands } from './commands/stacks.ts';
import { registerStorageMetricsCommands } from './commands/storage-metrics.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerVolumeCommands } from './commands/volumes.ts';
import { EXIT_CODE_HELP } from './lib/errors.ts';
import { OUTPUT_FORMATS } from './lib/output.ts';
import { DEFAULT_SERVER_URL } from './lib/server-url.ts';

export const VERSION = '0.1.0';

const GETTING_STARTED = `
Getting started:
  npm start                                  # in the repo: start the server (or: proxicloud serve)
  proxicloud login                           # prompts for username and password (first run: admin)
  proxicloud whoami
  proxicloud users create alice --role operator --full-name "Alice Doe"
  proxicloud users list
  proxicloud audit list --since 24h
  proxicloud audit verify

Scripts:
  proxicloud login -u ci-bot --password-stdin < pwfile
  proxicloud users list -o json | jq -r '.items[] | select(.status=="disabled") | .username'
  PROXICLOUD_ACCESS_KEY_ID=AKPC… PROXICLOUD_SECRET_ACCESS_KEY=… proxicloud audit export > audit.csv
`;

function exitCodesHelp(): string {
  return `\nExit codes:\n${EXIT_CODE_HELP.map(([code, , text]) => `  ${String(code).padStart(2)}  ${text}`).join('\n')}\n`;
}

const ENVIRONMENT = `
Environment:
  PROXICLOUD_URL                 server URL (like --server)
  PROXICLOUD_PROFILE             profile name (like --profile)
  PROXICLOUD_OUTPUT              table or json (like --output)
  PROXICLOUD_ACCESS_KEY_ID       with PROXICLOUD_SECRET_ACCESS_KEY: authenticate with this access key
  PROXICLOUD_SECRET_ACCESS_KEY   (overrides the profile's credentials; nothing is stored)
  XDG_CONFIG_HOME                credentials live in $XDG_CONFIG_HOME/proxicloud/credentials.json
                                 (default ~/.config/proxicloud/credentials.json, mode 0600)
  NO_COLOR                       disable colors (like --no-color)

Documentation: docs/cli.md
`;

export function createProgram(): Command {
  const program = new Command('proxicloud');
  program
    .description('ProxiCloud command line: AWS-style services for your Proxmox VE homelab.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addOption(
      new Option(
        '-s, --server <url>',
        `server URL (default: the profile's server, else ${DEFAULT_SERVER_URL})`,
      ).env('PROXICLOUD_URL'),
    )
    .addOption(
      new Option('-p, --profile <name>', 'credentials profile').env('PROXICLOUD_PROFILE').default('default'),
    )
    .addOption(
      new Option('-o, --output <format>', 'output format: human tables or raw API JSON for scripts')
        .choices(OUTPUT_FORMATS)
        .env('PROXICLOUD_OUTPUT')
        .default('table'),
    )
    .option('--no-color', 'disable colors (also: NO_COLOR=1)')
    .option('-q, --quiet', 'print less: no status messages; lists print only ids')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(str.replace(/^error:/, 'Error:')),
    });

  program.commandsGroup('Session:');
  registerAuthCommands(program);
  registerConfigureCommands(program);
  program.commandsGroup('Identity and access:');
  registerUserCommands(program);
  registerRoleCommands(program);
  registerAccessKeyCommands(program);
  program.commandsGroup('Compute:');
  registerCatalogCommands(program);
  const instances = registerInstanceCommands(program);
  registerInstanceMetricsCommand(instances);
  registerInstanceSecretCommands(instances);
  registerInstanceConsoleCommand(instances);
  registerKeyCommands(program);
  registerSecretCommands(program);
  registerVolumeCommands(program);
  registerNetworkCommands(program);
  registerRouteTableCommands(program);
  registerNatGatewayCommands(program);
  registerPeeringCommands(program);
  registerSnapshotCommands(program);
  registerBackupCommands(program);
  registerQuotaCommands(program);
  registerDoctorCommand(program);
  program.commandsGroup('Storage:');
  registerS3Commands(program);
  program.commandsGroup('Infrastructure as code:');
  registerStackCommands(program);
  registerAppCommands(program);
  program.commandsGroup('Audit:');
  registerAuditCommands(program);
  program.commandsGroup('Server (runs locally, not over the API):');
  registerServerCommands(program);
  registerAdminCommands(program);
  registerNodeMetricsCommands(program);
  registerStorageMetricsCommands(program);
  registerAlarmCommands(program);
  registerFunctionCommands(program);
  registerNotificationCommands(program);
  program.commandsGroup('Help:');
  program.helpCommand('help [command]', 'show help for a command');

  program.addHelpText('after', `${GETTING_STARTED}${exitCodesHelp()}${ENVIRONMENT}`);
  // Every command's help ends with the exit codes (scripts check them).
  const short = `\nExit codes: ${EXIT_CODE_HELP.map(([code, name]) => `${code} ${name}`).join(', ')}\n(details: proxicloud --help)`;
  const addExitCodes = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.addHelpText('after', short);
      addExitCodes(sub);
    }
  };
  addExitCodes(program);
  return program;
}
