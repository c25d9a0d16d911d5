/**
 * The launch planner: pure functions (no I/O) that check a launch request and build what the
 * launch commits — the instance row, the operation's parameters and steps — from facts gathered
 * before (the instance type, public keys, the resolved image and placement). `InstancesService`
 * gathers the facts and executes the plan; the launch operation executes the Proxmox part.
 */

import { UnprocessableError, ValidationError } from '../../platform/errors.ts';
import type { CatalogImage } from '../catalog/index.ts';
import type { StepDef } from '../operations/index.ts';
import type { NetworkConfig } from './instances.driver.ts';
import type { InstanceRow } from './instances.repository.ts';
import { renderUserData, userDataProblem } from './instances.userdata.ts';
import { checkStaticIpv4 } from './instances.validation.ts';

export interface LaunchInput {
  name: string;
  type: 'vm' | 'lxc';
  template: string;
  instanceType?: string;
  vcpu?: number;
  memory?: number;
  sizeGib?: number;
  node?: string;
  storage?: string;
  bridge?: string;
  network?: NetworkConfig;
  keyPairIds?: string[];
  /** ProxiCloud networks (first = primary NIC) and security groups (networks module) */
  networkIds?: string[];
  securityGroupIds?: string[];
  user?: string;
  userData?: string;
  /** ENV_NAME → secret name/id (references only; instances.secret-env.ts) */
  secretEnv?: Record<string, string>;
  tags?: Record<string, string>;
  protected?: boolean;
  start?: boolean;
  /**
   * Containers: PVE feature flags set at creation (internal: app templates; not an API field).
   * Default `nesting=1`; PVE lets only root@pam set flags other than nesting.
   */
  lxcFeatures?: LxcFeatures;
}

export interface LxcFeatures {
  nesting?: boolean;
  keyctl?: boolean;
  fuse?: boolean;
}

/** `{nesting: true, keyctl: true}` → `nesting=1,keyctl=1` (nesting on unless false). */
export function formatLxcFeatures(f: LxcFeatures): string {
  const all: LxcFeatures = { nesting: true, ...f };
  return (['nesting', 'keyctl', 'fuse'] as const)
    .filter((k) => all[k])
    .map((k) => `${k}=1`)
    .join(',');
}

/**
 * What the launch operation must still work out because Proxmox did not answer the request in
 * time: the template, the placement and, from them, the import link and the user-data snippet.
 */
export interface DeferredPlacement {
  template: string;
  node?: string;
  storage?: string;
  bridge?: string;
  user?: string;
  /** The user-data as given (rendered once the login user is known). */
  userData?: string;
}

/** Parameters a launch operation carries (public keys are not secret). */
export interface LaunchParams {
  start: boolean;
  sshKeys: string[];
  /** `iso`: an installer ISO (empty disk + CD-ROM, no cloud-init, no address wait). */
  source?: 'iso';
  /** A cloud image in ISO storage: hard-link `src` to `dst` first, then import from `volid`. */
  importLink?: { src: string; dst: string; volid: string };
  /** The rendered cloud-init snippet and where it goes (VMs launched with userData). */
  userData?: { storage: string; path: string; volid: string; content: string };
  /** Set when the request could not place the instance in time: the `place` step does. */
  deferred?: DeferredPlacement;
  /** NICs on ProxiCloud networks and security groups, attached by the `networks` step. */
  networkIds?: string[];
  securityGroupIds?: string[];
  /** Containers: the `features` property string (default `nesting=1`). */
  features?: string;
}

/** Adds the `networks` step (before `start`) and its parameters to a launch plan. */
export function withNetworking(
  plan: LaunchPlan,
  nets: { networkIds: string[]; securityGroupIds: string[] },
): void {
  plan.params.networkIds = nets.networkIds;
  plan.params.securityGroupIds = nets.securityGroupIds;
  const at = plan.steps.findIndex((s) => s.name === 'start');
  plan.steps.splice(at < 0 ? plan.steps.length : at, 0, {
    name: 'networks',
    title: 'Attach networks and security groups (NICs, IPAM, firewall)',
  });
  plan.details.networkIds = nets.networkIds;
  plan.details.securityGroupIds = nets.securityGroupIds;
}

/** What the `place` step adds to the parameters of a deferred launch. */
export type PlacedParams = Partial<Pick<LaunchParams, 'source' | 'importLink' | 'userData' | 'sshKeys'>>;

export const PLACE_STEP: StepDef = {
  name: 'place',
  title: 'Check the template and choose a node, storage and bridge',
};
export const USER_DATA_STEP: StepDef = {
  name: 'user-data',
  title: 'Write the cloud-init user-data snippet on the node',
};
export const IMPORT_LINK_STEP: StepDef = {
  name: 'import-link',
  title: 'Link the cloud image from ISO storage into the import storage',
};
export const LAUNCH_STEPS: StepDef[] = [
  { name: 'allocate', title: 'Reserve a VMID and submit the guest to Proxmox' },
  { name: 'create', title: 'Create disks and cloud-init (Proxmox task)' },
  { name: 'resize', title: 'Grow the root disk' },
  { name: 'start', title: 'Start the instance' },
  { name: 'network', title: 'Wait for an IP address' },
];

export const DEFAULT_TYPE = 't.small';

export interface InstanceTypePreset {
  name: string;
  vcpu: number;
  memory: number;
  sizeGib: number;
}

export interface LaunchSizing {
  instanceType: string | null;
  vcpu: number;
  memory: number;
  sizeGb: number;
  network: NetworkConfig;
}

/** Where the instance goes (from placement) and what its image needs. */
export interface LaunchTarget {
  image: CatalogImage;
  node: string;
  storage: string;
  bridge: string;
  importLink?: LaunchParams['importLink'];
  /** Where the snippet goes (the content is rendered by the plan). */
  snippet?: { storage: string; path: string; volid: string };
}

/**
 * Checks that need nothing but the request. `hostAgent` is asked only when userData is given.
 * Returns the instance type to look up (null: explicit sizes only).
 */
export function checkLaunchInput(input: LaunchInput, env: { hostAgent: () => boolean }): string | null {
  if (input.userData !== undefined) {
    if (input.type === 'lxc') {
      throw new UnprocessableError(
        'userData applies to VMs only: containers do not run cloud-init (configure them after launch)',
        { field: 'userData' },
        'user_data_not_applicable',
      );
    }
    const problem = userDataProblem(input.userData);
    if (problem) throw new UnprocessableError(problem.message, { field: 'userData' }, problem.code);
    if (!env.hostAgent()) {
      throw new UnprocessableError(
        'userData needs the SSH host agent: Proxmox VE cannot receive cloud-init snippet files through its ' +
          'API, so ProxiCloud writes them to a snippets storage over SSH. Configure PROXMOX_SSH_HOST, ' +
          'PROXMOX_SSH_HOST_KEY_FINGERPRINT and a key or password (docs/configuration.md), and enable the ' +
          "'Snippets' content type on a directory storage such as 'local'.",
        { field: 'userData' },
        'host_agent_required',
      );
    }
  }
  if (input.instanceType) return input.instanceType;
  return input.vcpu === undefined && input.memory === undefined ? DEFAULT_TYPE : null;
}

/** Sizes from the request, else the instance type; the network checked. */
export function sizeLaunch(
  input: LaunchInput,
  typeName: string | null,
  preset: InstanceTypePreset | null,
): LaunchSizing {
  if (typeName && !preset) {
    throw new UnprocessableError(
      `Unknown instance type '${typeName}' (GET /api/v1/instance-types)`,
      { field: 'instanceType' },
      'unknown_instance_type',
    );
  }
  const network: NetworkConfig = input.network ?? { mode: 'dhcp' };
  if (network.mode === 'static') {
    const problem = checkStaticIpv4(network.address ?? '', network.gateway);
    if (problem) throw new ValidationError(`Invalid network: ${problem}`, { field: 'network' });
  }
  return {
    instanceType: preset ? preset.name : null,
    vcpu: input.vcpu ?? preset?.vcpu ?? 1,
    memory: input.memory ?? preset?.memory ?? 1024,
    sizeGb: input.sizeGib ?? preset?.sizeGib ?? 10,
    network,
  };
}

/** What the resolved image allows for this request (an installer ISO takes no user-data). */
export function checkImage(image: CatalogImage, hasUserData: boolean): void {
  if (image.kind === 'iso' && hasUserData) {
    throw new UnprocessableError(
      'userData does not apply to an installer ISO: it boots the installer, not cloud-init',
      { field: 'userData' },
      'user_data_not_applicable',
    );
  }
}

/** The cloud-init login user: VMs from cloud images only (the request's, else the image's). */
export function loginUser(type: 'vm' | 'lxc', user: string | undefined, image: CatalogImage): string | null {
  return type === 'vm' && image.kind !== 'iso' ? (user ?? image.defaultUser) : null;
}

/** The parameters the `place` step (or the request) derives from a resolved target. */
export function placedParams(
  target: LaunchTarget,
  opts: { name: string; user: string | null; userData?: string; sshKeys: string[] },
): PlacedParams {
  return {
    ...(target.image.kind === 'iso' ? { source: 'iso' as const, sshKeys: [] } : {}),
    ...(target.importLink ? { importLink: target.importLink } : {}),
    ...(target.snippet && opts.userData !== undefined
      ? {
          userData: {
            ...target.snippet,
            content: renderUserData(opts.userData, {
              hostname: opts.name,
              user: opts.user,
              sshKeys: opts.sshKeys,
            }),
          },
        }
      : {}),
  };
}

export function launchSteps(
  type: 'vm' | 'lxc',
  opts: { deferred: boolean; importLink: boolean; userData: boolean },
): StepDef[] {
  if (type === 'lxc')
    return [...(opts.deferred ? [PLACE_STEP] : []), ...LAUNCH_STEPS.filter((s) => s.name !== 'resize')];
  return [
    ...(opts.deferred ? [PLACE_STEP] : []),
    // a deferred launch learns whether the image needs a link only in `place`
    ...(opts.importLink || opts.deferred ? [IMPORT_LINK_STEP] : []),
    ...(opts.userData ? [USER_DATA_STEP] : []),
    ...LAUNCH_STEPS,
  ];
}

export interface LaunchPlan {
  row: InstanceRow;
  params: LaunchParams;
  steps: StepDef[];
  /** For the audit record. */
  details: Record<string, unknown>;
}

/**
 * The row, operation parameters and steps of a launch: placed now (`target`) or deferred to the
 * operation (`target` null: node, storage and bridge are what the request asked for, if anything).
 */
export function planLaunch(args: {
  id: string;
  ownerId: string;
  now: string;
  input: LaunchInput;
  sizing: LaunchSizing;
  keyPairIds: string[];
  sshKeys: string[];
  target: LaunchTarget | null;
}): LaunchPlan {
  const { input, sizing, target } = args;
  const image = target?.image ?? null;
  if (image) checkImage(image, input.userData !== undefined);
  const user = image
    ? loginUser(input.type, input.user, image)
    : input.type === 'vm'
      ? (input.user ?? null)
      : null;
  const fromIso = image?.kind === 'iso';
  const row: InstanceRow = {
    id: args.id,
    owner_id: args.ownerId,
    name: input.name,
    type: input.type,
    instance_type: sizing.instanceType,
    template: image ? image.id : input.template,
    os: image ? (image.version ? `${image.os} ${image.version}` : image.os) : null,
    node: target?.node ?? input.node ?? null,
    vmid: null,
    status: 'pending',
    status_reason: null,
    vcpu: sizing.vcpu,
    memory_mib: sizing.memory,
    disk_gb: sizing.sizeGb,
    storage: target?.storage ?? input.storage ?? '',
    bridge: target?.bridge ?? input.bridge ?? '',
    network: JSON.stringify(sizing.network),
    username: user,
    key_pair_ids: JSON.stringify(args.keyPairIds),
    tags: JSON.stringify(input.tags ?? {}),
    protected: input.protected ? 1 : 0,
    ips: '[]',
    net_view: null,
    active_operation_id: null,
    needs_cleanup: 0,
    managed: 'created',
    created_at: args.now,
    updated_at: args.now,
    launched_at: null,
    terminated_at: null,
  };
  const deferred: DeferredPlacement | undefined = target
    ? undefined
    : {
        template: input.template,
        ...(input.node ? { node: input.node } : {}),
        ...(input.storage ? { storage: input.storage } : {}),
        ...(input.bridge ? { bridge: input.bridge } : {}),
        ...(input.user !== undefined ? { user: input.user } : {}),
        ...(input.userData !== undefined ? { userData: input.userData } : {}),
      };
  const placed = target
    ? placedParams(target, {
        name: input.name,
        user,
        sshKeys: args.sshKeys,
        ...(input.userData !== undefined ? { userData: input.userData } : {}),
      })
    : {};
  const params: LaunchParams = {
    start: input.start ?? true,
    // an installer ISO gets no keys; a deferred launch drops them in `place` if the image is one
    sshKeys: fromIso ? [] : args.sshKeys,
    ...placed,
    ...(deferred ? { deferred } : {}),
    ...(input.lxcFeatures && input.type === 'lxc' ? { features: formatLxcFeatures(input.lxcFeatures) } : {}),
  };
  const steps = launchSteps(input.type, {
    deferred: !target,
    importLink: Boolean(params.importLink),
    userData: input.userData !== undefined,
  });
  const details: Record<string, unknown> = {
    name: row.name,
    type: row.type,
    template: row.template,
    node: row.node,
    vcpu: sizing.vcpu,
    memory: sizing.memory,
    sizeGib: sizing.sizeGb,
    ...(params.userData
      ? { userData: { snippet: params.userData.volid, bytes: Buffer.byteLength(input.userData!) } }
      : {}),
    ...(deferred ? { placement: 'deferred' } : {}),
  };
  return { row, params, steps, details };
}
