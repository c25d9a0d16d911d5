/**
 * Go functions are compiled when they are deployed (once per code and handler; the runner caches
 * the binary and runs it per invocation): a build error refuses the create/update with 422
 * `build_failed` and the compiler's output in `details.output`, so no version that cannot run is
 * ever made. A runner that cannot be reached answers 503 (nothing is saved either).
 */
import { UnavailableError, UnprocessableError } from '../../platform/errors.ts';
import { type CodeFiles, codeHash } from './functions.code.ts';
import type { GoBuildResult, RunnerSet } from './functions.runners.ts';

export async function checkGoBuild(
  runners: RunnerSet,
  cfg: { runtime: string; handler: string },
  files: CodeFiles,
): Promise<void> {
  if (cfg.runtime !== 'go') return;
  let built: GoBuildResult;
  try {
    built = await runners.build(codeHash(files), cfg.handler, async () => files);
  } catch (e) {
    throw new UnavailableError(
      `The function runner could not build the Go code (${(e as Error).message}); try again`,
    );
  }
  if (!built.ok)
    throw new UnprocessableError(
      `The Go code does not build: ${built.output.split('\n')[0] ?? ''}`,
      { output: built.output, durationMs: built.durationMs },
      'build_failed',
    );
}
