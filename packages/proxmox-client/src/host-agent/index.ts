export {
  APP_SETUP_DIR,
  type AppScriptLine,
  type AppScriptResult,
  AppSetupAgent,
  type AppSetupFile,
  type AppSetupPhase,
  lineSplitter,
} from './app-setup.ts';
export {
  type ExecOptions,
  type ExecResult,
  type Executor,
  ExecutorError,
  hostKeyFingerprint,
  LocalExecutor,
  parseHostKeyFingerprint,
  SshExecutor,
  type SshExecutorOptions,
  shellQuote,
} from './executor.ts';
export { GuestRouteAgent } from './guest-routes.ts';
export { ImageLinkAgent, validateImageLink } from './images.ts';
export { SecretFileAgent } from './secret-files.ts';
export {
  SNIPPET_MAX_BYTES,
  SnippetAgent,
  snippetContentProblem,
  validateSnippetPath,
} from './snippets.ts';
export {
  HostAgentCommandError,
  HostAgentValidationError,
  validateDataset,
  validateSnapshotName,
  validateSnapshotRef,
  ZfsAgent,
  type ZfsDataset,
  type ZfsProperty,
  type ZfsType,
} from './zfs.ts';
