/** `catalog [list]` and `catalog types`: what can be launched, and the instance size presets. */
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { examples, intInRange } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import type { Column } from '../lib/output.ts';

type Image = components['schemas']['CatalogImage'];
type InstanceType = components['schemas']['InstanceType'];

const imageColumns: Column<Image>[] = [
  { header: 'NAME', value: (i) => i.name },
  { header: 'KIND', value: (i) => i.kind },
  { header: 'LAUNCHES', value: (i) => i.instanceType ?? (i.launchable ? '' : 'not yet') },
  { header: 'OS', value: (i) => `${i.os}${i.version ? ` ${i.version}` : ''}` },
  { header: 'SOURCE', value: (i) => i.source },
  { header: 'SIZE', value: (i) => `${Math.round(i.sizeBytes / 1024 ** 2)} MiB`, align: 'right' },
  { header: 'NODES', value: (i) => i.nodes.join(',') },
  { header: 'ID', value: (i) => i.id },
];

const typeColumns: Column<InstanceType>[] = [
  { header: 'NAME', value: (t) => t.name },
  { header: 'VCPU', value: (t) => t.vcpu, align: 'right' },
  {
    header: 'MEMORY',
    value: (t) => (t.memory >= 1024 ? `${t.memory / 1024} GiB` : `${t.memory} MiB`),
    align: 'right',
  },
  { header: 'DISK', value: (t) => `${t.sizeGib} GiB`, align: 'right' },
  { header: 'BUILT-IN', value: (t) => (t.builtin ? 'yes' : 'no') },
  { header: 'DESCRIPTION', value: (t) => t.description },
];

export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('What can be launched (cloud images, LXC templates, ISOs) and the instance types')
    .addHelpText(
      'after',
      examples(
        'proxicloud catalog',
        'proxicloud catalog --type lxc',
        'proxicloud catalog types',
        'proxicloud catalog -o json | jq -r ".items[].id"',
      ),
    );

  catalog
    .command('list', { isDefault: true })
    .description('Launch sources found in Proxmox storage content')
    .addOption(new Option('--type <type>', 'what it launches').choices(['vm', 'lxc']))
    .addOption(new Option('--kind <kind>', 'kind of file').choices(['cloud-image', 'lxc-template', 'iso']))
    .option('--os <os>', 'e.g. debian, ubuntu')
    .action(
      async (
        opts: { type?: 'vm' | 'lxc'; kind?: 'cloud-image' | 'lxc-template' | 'iso'; os?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const page = (await unwrap(
          ctx.api().GET('/api/v1/catalog', {
            params: {
              query: {
                limit: 1000,
                ...(opts.type ? { type: opts.type } : {}),
                ...(opts.kind ? { kind: opts.kind } : {}),
                ...(opts.os ? { os: opts.os } : {}),
              },
            },
          }),
        )) as Page<Image>;
        if (ctx.out.json) return ctx.out.printJson(page);
        if (ctx.out.quiet) {
          for (const i of page.items) ctx.out.line(i.id);
          return;
        }
        ctx.out.table(
          imageColumns,
          page.items,
          'Nothing to launch: upload cloud images (content "import") or LXC templates to a Proxmox storage.',
        );
      },
    );

  const types = catalog.command('types').description('Instance types (size presets)');
  types.action(async (_opts: unknown, cmd: Command) => {
    const ctx = contextOf(cmd);
    const page = (await unwrap(ctx.api().GET('/api/v1/instance-types'))) as Page<InstanceType>;
    if (ctx.out.json) return ctx.out.printJson(page);
    ctx.out.table(typeColumns, page.items);
  });

  catalog
    .command('add-type <name>')
    .description('Admin: add an instance type, e.g. m.large')
    .requiredOption('--vcpu <n>', 'vCPUs', intInRange(1, 128))
    .requiredOption('--memory <MiB>', 'memory in MiB', intInRange(128, 1_048_576))
    .requiredOption('--disk <GiB>', 'default root disk size', intInRange(1, 16_384))
    .option('-d, --description <text>', 'description')
    .action(
      async (
        name: string,
        opts: { vcpu: number; memory: number; disk: number; description?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const t = await unwrap(
          ctx.api().POST('/api/v1/instance-types', {
            body: {
              name,
              vcpu: opts.vcpu,
              memory: opts.memory,
              sizeGib: opts.disk,
              ...(opts.description ? { description: opts.description } : {}),
            },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(t);
        ctx.out.success(`Added instance type ${t.name}.`);
      },
    );

  catalog
    .command('delete-type <name>')
    .description('Admin: delete an instance type an admin added')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      await unwrap(ctx.api().DELETE('/api/v1/instance-types/{name}', { params: { path: { name } } }));
      if (ctx.out.json) return ctx.out.printJson({ name, deleted: true });
      ctx.out.success(`Deleted instance type ${name}.`);
    });
}
