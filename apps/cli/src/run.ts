/**
 * Run the CLI: parse argv, execute, and map every outcome to an exit code. Errors are printed as
 * `Error: <message> (code, request id …)` on stderr; stdout only carries command output.
 */
import { CommanderError } from 'commander';
import { ExitCode, formatError, QuietExit, toCliError } from './lib/errors.ts';
import { createProgram } from './program.ts';

export async function run(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(
      argv.map((a) => (a === '-out' ? '--out' : a)), // Terraform's spelling of plan -out
      { from: 'user' },
    );
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (and a help hint). --help and --version exit 0;
      // everything else (unknown option, missing argument, a command group without a
      // subcommand, which prints its help to stderr) is a usage error.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof QuietExit) return err.exitCode;
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return ExitCode.ok; // stdout reader closed
    const cliError = toCliError(err);
    process.stderr.write(`${formatError(cliError)}\n`);
    if (process.env.PROXICLOUD_DEBUG && cliError.cause) {
      process.stderr.write(`${(cliError.cause as Error).stack ?? String(cliError.cause)}\n`);
    }
    return cliError.exitCode;
  }
}
