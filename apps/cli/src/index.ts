/** @proxicloud/cli: the `proxicloud` command line (entry: bin/proxicloud.mjs → src/main.ts). */

export { EXIT_CODE_HELP, ExitCode } from './lib/errors.ts';
export { createProgram, VERSION } from './program.ts';
export { run } from './run.ts';
