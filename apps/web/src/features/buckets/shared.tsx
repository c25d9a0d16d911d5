import type { SVGProps } from 'react';
import { Card } from '../../components/index.ts';

/** Permissions the bucket browser checks (the server's catalogue: resource:action). */
export const BP = {
  bucketsCreate: 'buckets:create',
  bucketsDelete: 'buckets:delete',
  bucketsUpdate: 'buckets:update',
  objectsRead: 'objects:read',
  objectsWrite: 'objects:write',
  objectsDelete: 'objects:delete',
  objectsBypassGovernance: 'objects:bypass_governance',
} as const;

type IconProps = SVGProps<SVGSVGElement>;
function Icon({ children, ...props }: IconProps & { children: React.ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      {...props}
    >
      {children}
    </svg>
  );
}

export const FolderIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4l2 2h9A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" />
  </Icon>
);
export const FileIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
    <path d="M14 3v5h5" />
  </Icon>
);
export const UploadIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 16v2.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V16" />
  </Icon>
);
export const TrashIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4 7h16M10 11v6m4-6v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
  </Icon>
);
export const LinkIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
  </Icon>
);

/** How to reach buckets from tools: shown under the bucket list. */
export function StorageHelp() {
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  return (
    <Card className="mt-6" title="Use buckets from the command line and S3 tools">
      <ul className="flex list-disc flex-col gap-1 pl-5 text-sm text-muted">
        <li>
          ProxiCloud CLI:{' '}
          <code className="font-mono text-xs">proxicloud s3 cp ./photos s3://bucket/ --recursive</code>
        </li>
        <li>
          aws-cli, rclone, restic: endpoint <code className="font-mono text-xs">{origin}/s3</code>{' '}
          (path-style) with an access key from IAM → Access keys.
        </li>
      </ul>
    </Card>
  );
}
