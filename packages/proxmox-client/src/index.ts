export {
  type ApiMethod,
  type ArgsOf,
  createPveApi,
  type ParamsOf,
  type PathOf,
  type PveApi,
  type ResultOf,
} from './api.ts';
export { backoffDelay, sleep } from './backoff.ts';
export {
  ClusterApi,
  FirewallRulesApi,
  type GuestApi,
  type GuestResizeParams,
  type GuestType,
  LxcApi,
  NodeApi,
  ProxmoxClient,
  QemuVmApi,
  StorageApi,
  type Upid as UpidString,
} from './client.ts';
export { TERM_PING, termInput, termLogin, termResize, vncAuthResponse } from './console-protocol.ts';
export {
  decodeSshKeys,
  encodeForm,
  encodeSshKeys,
  formatMemory,
  type Params,
  type ParamValue,
  parseMemory,
  parseVmid,
  pveBool,
  toWireParams,
  type WireParams,
} from './encoding.ts';
export { type ProxmoxEnvConfig, parseTokenString, proxmoxConfigFromEnv } from './env.ts';
export {
  apiErrorFromResponse,
  ProxmoxApiError,
  ProxmoxAuthError,
  ProxmoxConnectionError,
  ProxmoxError,
  ProxmoxTaskError,
  ProxmoxTimeoutError,
  ProxmoxTlsError,
} from './errors.ts';
export type * from './generated/endpoints.ts';
export { PVE_API } from './generated/endpoints.ts';
export * from './host-agent/index.ts';
export * from './property-string.ts';
export { type TaskProgress, type TaskResult, type TaskStatus, TasksApi, type WaitOptions } from './tasks.ts';
export { normalizeFingerprint, type TlsOptions } from './tls.ts';
export type {
  AuthOptions,
  CallOptions,
  HttpMethod,
  Logger,
  ProxmoxClientOptions,
  RequestInfo,
  ResponseInfo,
} from './transport.ts';
export { formatUpid, isUpid, parseUpid, type Upid } from './upid.ts';
export {
  type OpenWebSocketOptions,
  openWebSocket,
  ProxmoxWebSocketError,
  type WebSocketTarget,
} from './websocket.ts';
