/** Process entry (bin/proxicloud.mjs imports this). */
import { run } from './run.ts';

// `proxicloud audit export | head`: the reader went away. Stop quietly, like other Unix tools.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await run(process.argv.slice(2));
