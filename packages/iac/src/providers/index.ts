/** Every provider this server version has. A new kind = one file here + one line in this list. */
import { type Provider, type ProviderRegistry, registry } from '../provider.ts';
import { alarmsProvider } from './alarms.ts';
import { attachmentsProvider } from './attachments.ts';
import { backupPoliciesProvider } from './backup-policies.ts';
import { bucketsProvider } from './buckets.ts';
import { instancesProvider } from './instances.ts';
import { keyPairsProvider } from './key-pairs.ts';
import { natGatewaysProvider } from './nat-gateways.ts';
import { networksProvider } from './networks.ts';
import { notificationChannelsProvider } from './notification-channels.ts';
import { peeringsProvider } from './peerings.ts';
import { quotasProvider } from './quotas.ts';
import { routeTablesProvider } from './route-tables.ts';
import { secretsProvider } from './secrets.ts';
import { securityGroupsProvider } from './security-groups.ts';
import { snapshotsProvider } from './snapshots.ts';
import { volumesProvider } from './volumes.ts';

export const builtinProviders: readonly Provider[] = [
  keyPairsProvider,
  networksProvider,
  securityGroupsProvider,
  natGatewaysProvider,
  instancesProvider,
  routeTablesProvider,
  peeringsProvider,
  volumesProvider,
  attachmentsProvider,
  snapshotsProvider,
  bucketsProvider,
  quotasProvider,
  backupPoliciesProvider,
  notificationChannelsProvider,
  alarmsProvider,
  secretsProvider,
];

/** The registry `plan`/`apply` use; pass extra providers to extend it. */
export function defaultProviders(extra: readonly Provider[] = []): ProviderRegistry {
  return registry([...builtinProviders, ...extra]);
}

export { ProviderApiError, STACK_TAG } from './common.ts';
export {
  alarmsProvider,
  attachmentsProvider,
  backupPoliciesProvider,
  bucketsProvider,
  instancesProvider,
  keyPairsProvider,
  networksProvider,
  notificationChannelsProvider,
  peeringsProvider,
  quotasProvider,
  secretsProvider,
  securityGroupsProvider,
  snapshotsProvider,
  volumesProvider,
};
