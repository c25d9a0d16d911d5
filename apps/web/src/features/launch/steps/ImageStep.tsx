import { SearchIcon } from '../../../components/icons.tsx';
import { Alert, Badge, Input, Skeleton } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { formatBytes } from '../../../lib/format.ts';
import { radioCard, Section } from '../Section.tsx';
import type { LaunchForm } from '../useLaunchForm.ts';

const kindLabel = { 'lxc-template': 'LXC template', 'cloud-image': 'Cloud image', iso: 'ISO' } as const;

export function ImageStep({ f }: { f: LaunchForm }) {
  const { catalog, type } = f;
  return (
    <Section
      n={2}
      title="Image"
      hint={
        type === 'lxc'
          ? 'LXC templates on your Proxmox storage.'
          : 'Cloud images (and the installer ISOs the server can launch) on your Proxmox storage.'
      }
    >
      <div className="relative sm:w-80">
        <SearchIcon className="pointer-events-none absolute bottom-2.5 left-3 text-muted" />
        <Input
          label="Search images"
          hideLabel
          type="search"
          placeholder="Search by OS, version or file"
          value={f.search}
          onChange={(e) => f.setSearch(e.target.value)}
          inputClassName="pl-9"
        />
      </div>
      {catalog.error ? (
        <Alert title="Could not load the catalog">{describeError(catalog.error)}</Alert>
      ) : null}
      <fieldset className="min-w-0">
        <legend className="sr-only">Image</legend>
        {catalog.isPending ? (
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
        ) : catalog.data?.items.length === 0 ? (
          <p className="text-sm text-muted">
            {f.q
              ? 'No image matches this search.'
              : `No ${type === 'lxc' ? 'LXC templates' : 'cloud images'} found on the Proxmox storages. Download one in Proxmox (Storage → CT Templates) and reload.`}
          </p>
        ) : (
          <div className="grid max-h-96 grid-cols-1 gap-2 overflow-y-auto sm:grid-cols-2">
            {catalog.data?.items.map((c) => (
              <label key={c.id} className={radioCard(f.template === c.id)}>
                <span className="flex items-center gap-2 font-medium">
                  <input
                    type="radio"
                    name="template"
                    value={c.id}
                    checked={f.template === c.id}
                    disabled={!c.launchable}
                    onChange={() => f.setTemplate(c.id)}
                    className="accent-primary"
                  />
                  <span className="capitalize">{c.os}</span> {c.version ?? ''}
                  <Badge className="ml-auto">{kindLabel[c.kind]}</Badge>
                </span>
                <span className="truncate font-mono text-xs text-muted" title={c.id}>
                  {c.id}
                </span>
                <span className="text-xs text-muted">
                  {c.source} · {formatBytes(c.sizeBytes)}
                </span>
                {c.note ? <span className="text-xs text-amber-800 dark:text-amber-300">{c.note}</span> : null}
              </label>
            ))}
          </div>
        )}
        {type === 'vm' && f.otherIsos.length ? (
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-muted">
              {f.otherIsos.length} ISO image{f.otherIsos.length === 1 ? '' : 's'} (not launchable yet)
            </summary>
            <ul className="mt-2 flex flex-col gap-1 font-mono text-xs text-muted">
              {f.otherIsos.map((i) => (
                <li key={i.id}>{i.name}</li>
              ))}
            </ul>
          </details>
        ) : null}
        {f.show(f.errors.template) ? (
          <p className="mt-2 text-sm text-red-700 dark:text-red-400">{f.errors.template}</p>
        ) : null}
      </fieldset>
    </Section>
  );
}
