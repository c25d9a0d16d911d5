import type { ComponentType, SVGProps } from 'react';
import {
  AppsIcon,
  ArchiveIcon,
  BoltIcon,
  ChartIcon,
  CodeIcon,
  DatabaseIcon,
  HomeIcon,
  LockIcon,
  NetworkIcon,
  ServerIcon,
  ShieldIcon,
} from '../components/icons.tsx';
import { P, type Permission } from '../features/auth/permissions.ts';

export interface NavItem {
  label: string;
  to: string;
  /** Hidden unless the user holds this permission. */
  permission?: Permission;
  /** Not built yet: the route shows an honest "coming in a later release" page. */
  soon?: { summary: string };
}

/** A section with a heading and links, or (no heading) a single top-level link. */
export interface NavGroup {
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  /** Rendered as one top-level link instead of a heading with links. */
  single?: boolean;
  items: NavItem[];
}

/** The console's navigation, grouped like the AWS console. Pages marked `soon` are not built yet. */
export const navGroups: NavGroup[] = [
  { label: 'Dashboard', icon: HomeIcon, single: true, items: [{ label: 'Dashboard', to: '/' }] },
  {
    label: 'Compute',
    icon: ServerIcon,
    items: [
      {
        label: 'Instances',
        to: '/compute/instances',
      },
      {
        label: 'Volumes',
        to: '/compute/volumes',
      },
      {
        label: 'Snapshots',
        to: '/compute/snapshots',
      },
      {
        label: 'Key pairs',
        to: '/compute/key-pairs',
      },
    ],
  },
  {
    label: 'Storage',
    icon: DatabaseIcon,
    items: [{ label: 'Buckets', to: '/storage/buckets' }],
  },
  {
    label: 'Networking',
    icon: NetworkIcon,
    items: [
      {
        label: 'Networks',
        to: '/networking/networks',
      },
      {
        label: 'Security groups',
        to: '/networking/security-groups',
      },
      { label: 'Route tables', to: '/networking/route-tables' },
      { label: 'NAT gateways', to: '/networking/nat-gateways' },
      { label: 'Peerings', to: '/networking/peerings' },
      { label: 'Topology', to: '/networking/topology' },
      { label: 'Designer', to: '/networking/designer' },
    ],
  },
  {
    label: 'Monitoring',
    icon: ChartIcon,
    items: [
      {
        label: 'Metrics',
        to: '/monitoring/metrics',
      },
      { label: 'Alarms', to: '/monitoring/alarms' },
      { label: 'Health map', to: '/monitoring/health' },
      { label: 'Audit log', to: '/monitoring/audit', permission: P.auditRead },
    ],
  },
  {
    label: 'Apps',
    icon: AppsIcon,
    single: true,
    items: [
      {
        label: 'Apps',
        to: '/apps',
        permission: 'apps:read',
      },
    ],
  },
  {
    label: 'IaC',
    icon: CodeIcon,
    single: true,
    items: [
      {
        label: 'IaC',
        to: '/iac',
        permission: 'stacks:read',
      },
    ],
  },
  {
    label: 'Backups',
    icon: ArchiveIcon,
    single: true,
    items: [
      {
        label: 'Backups',
        to: '/backups',
        permission: 'backups:read',
      },
    ],
  },
  {
    label: 'Functions',
    icon: BoltIcon,
    single: true,
    items: [
      {
        label: 'Functions',
        to: '/functions',
        permission: 'functions:read',
      },
    ],
  },
  {
    label: 'Secrets',
    icon: LockIcon,
    single: true,
    items: [
      {
        label: 'Secrets',
        to: '/secrets',
        permission: 'secrets:read',
      },
    ],
  },
  {
    label: 'IAM',
    icon: ShieldIcon,
    items: [
      { label: 'Users', to: '/iam/users', permission: P.usersRead },
      { label: 'Access keys', to: '/iam/access-keys' },
      { label: 'Quotas', to: '/iam/quotas' },
    ],
  },
];

export const comingSoonItems = navGroups.flatMap((g) =>
  g.items.filter((i) => i.soon).map((i) => ({ ...i, group: g.label, soon: i.soon! })),
);
