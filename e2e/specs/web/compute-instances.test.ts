import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
type Client = Awaited<ReturnType<typeof apiAs>>;

async function waitForStatus(client: Client, name: string, status: string, timeoutMs = 45_000) {
  return eventually(
    async () => {
      const { data } = await client.GET('/api/v1/instances', { params: { query: { q: name } } });
      const inst = data?.items.find((i) => i.name === name);
      return inst && inst.status === status ? inst : undefined;
    },
    `${name} to be ${status}`,
    timeoutMs,
  );
}

/** Goes through the launch wizard; returns on the instance page. */
async function launchThroughWizard(
  page: Page,
  opts: {
    name: string;
    type: 'LXC container' | 'Virtual machine';
    createKey?: string;
    keyName?: string;
    shot?: string;
  },
) {
  await page.goto('/compute/instances');
  await page.getByRole('link', { name: 'Launch instance' }).first().click();
  await page.getByRole('heading', { name: 'Launch instance', level: 1 }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(opts.name);
  await page.getByRole('radio', { name: opts.type }).check();
  // The first launchable image of the catalog.
  const image = page.getByRole('group', { name: 'Image' }).getByRole('radio').first();
  await image.waitFor();
  await image.check();
  await page
    .getByLabel('Instance size')
    .selectOption('t.micro')
    .catch(() => undefined);
  if (opts.createKey) {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Create key pair' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create key pair' });
    await dialog.getByLabel('Key pair name').fill(opts.createKey);
    await dialog.getByRole('button', { name: 'Create and download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(opts.createKey);
    await page.getByRole('dialog', { name: `Key pair ${opts.createKey} created` }).waitFor();
    if (opts.shot) await screenshot(page, `${opts.shot}-key-created`);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByRole('checkbox', { name: new RegExp(opts.createKey) }).isChecked()).toBe(true);
  }
  if (opts.keyName) await page.getByRole('checkbox', { name: new RegExp(opts.keyName) }).check();
  if (opts.shot) await screenshot(page, opts.shot);
  await page.getByRole('button', { name: 'Launch instance' }).click();
  await page.getByRole('heading', { name: opts.name, level: 1 }).waitFor();
  expect(page.url()).toMatch(/\/compute\/instances\/i-[0-9a-f]{17}$/);
}

describe('compute: instances', () => {
  test('an operator launches an LXC and a VM through the wizard, sees them run, stops and terminates them', async () => {
    await seedUser(e2e.admin, { username: 'carol', password: 'carol-password-1', role: 'operator' });
    const carol = await apiAs(e2e.baseUrl, 'carol', 'carol-password-1');
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'carol', 'carol-password-1');

    // Empty state tells a new user to launch.
    await page.goto('/compute/instances');
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor();
    await screenshot(page, 'compute-instances-empty-light');

    await launchThroughWizard(page, {
      name: 'web-lxc',
      type: 'LXC container',
      createKey: 'carol-laptop',
      shot: 'compute-launch-light',
    });
    // The instance page follows the launch to running (live, without reloading).
    await page.getByText('Running', { exact: true }).first().waitFor({ timeout: 45_000 });
    const lxc = await waitForStatus(carol, 'web-lxc', 'running');
    expect(lxc.type).toBe('lxc');
    expect(lxc.keyPairIds).toHaveLength(1);
    await screenshot(page, 'compute-instance-light');
    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByText('Launch', { exact: true }).waitFor();
    await screenshot(page, 'compute-instance-activity-light');
    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByText('A root shell in the container, in the browser, through ProxiCloud.').waitFor();
    await page.getByRole('link', { name: 'Open the console in a new tab' }).first().waitFor();

    await launchThroughWizard(page, { name: 'web-vm', type: 'Virtual machine', keyName: 'carol-laptop' });
    const vm = await waitForStatus(carol, 'web-vm', 'running');
    expect(vm.type).toBe('vm');

    // The list shows both, filtered and searched through the URL.
    await page.goto('/compute/instances');
    await page.getByRole('link', { name: 'web-lxc' }).waitFor();
    await page.getByRole('link', { name: 'web-vm' }).waitFor();
    await screenshot(page, 'compute-instances-light');
    await page.getByLabel('Search instances').fill('vm');
    await page.waitForURL(/q=vm/);
    await eventually(
      async () => ((await page.getByRole('link', { name: 'web-lxc' }).count()) === 0 ? true : undefined),
      'search to hide web-lxc',
    );
    await page.getByLabel('Search instances').fill('');
    await page.getByLabel('Status').selectOption('stopped');
    await page.getByRole('heading', { name: 'No instances match these filters' }).waitFor();
    await page.getByLabel('Status').selectOption('');

    // Attach a new volume to the VM and snapshot it.
    await page.goto('/compute/volumes');
    await page.getByRole('button', { name: 'Create volume' }).click();
    const create = page.getByRole('dialog', { name: 'Create volume' });
    await create.getByLabel('Volume name').fill('carol-data');
    await create.getByLabel('Size (GiB)').fill('5');
    await create.getByRole('button', { name: 'Create volume' }).click();
    await page.getByRole('button', { name: 'Actions for carol-data' }).click();
    await page.getByRole('menuitem', { name: 'Attach' }).click();
    const attach = page.getByRole('dialog', { name: 'Attach carol-data' });
    await attach.getByLabel('Instance').selectOption(vm.id);
    await attach.getByRole('button', { name: 'Attach volume' }).click();
    await page
      .getByRole('row', { name: /carol-data/ })
      .getByText('In use')
      .waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Actions for carol-data' }).click();
    await page.getByRole('menuitem', { name: 'Create snapshot' }).click();
    const snap = page.getByRole('dialog', { name: 'Snapshot carol-data' });
    await snap.getByLabel('Snapshot name').fill('first');
    await snap.getByRole('button', { name: 'Create snapshot' }).click();
    await page.getByText('Snapshot created').waitFor();
    const vols = await carol.GET('/api/v1/volumes', { params: { query: { q: 'carol-data' } } });
    const volume = vols.data!.items[0]!;
    expect(volume.instanceId).toBe(vm.id);
    const snaps = await carol.GET('/api/v1/snapshots', { params: { query: { volumeId: volume.id } } });
    expect(snaps.data?.items.map((x) => x.name)).toEqual(['first']);
    await page.goto('/compute/instances');
    await page.getByRole('link', { name: 'web-lxc' }).waitFor();

    // Row action: stop the LXC through its confirmation dialog.
    await page.getByRole('button', { name: 'Actions for web-lxc' }).click();
    await page.getByRole('menuitem', { name: 'Stop' }).click();
    const stop = page.getByRole('dialog', { name: 'Stop web-lxc?' });
    await stop.getByRole('button', { name: 'Stop instance' }).click();
    await waitForStatus(carol, 'web-lxc', 'stopped');
    // The list updates live (event stream), no reload.
    await page
      .getByRole('row', { name: /web-lxc/ })
      .getByText('Stopped')
      .waitFor();

    // Bulk terminate both: the dialog names each instance and what is destroyed.
    await page.getByRole('checkbox', { name: 'Select all instances on this page' }).check();
    await page
      .getByRole('toolbar', { name: 'Bulk actions' })
      .getByRole('button', { name: 'Terminate' })
      .click();
    const term = page.getByRole('dialog', { name: 'Terminate 2 instances?' });
    await term.getByText('web-lxc').waitFor();
    await term.getByText('web-vm').waitFor();
    await term
      .getByText(/root disk/)
      .first()
      .waitFor();
    await screenshot(page, 'compute-terminate-dialog-light');
    // Terminating cannot be undone: the button waits until the confirmation is typed.
    const confirmTerm = term.getByRole('button', { name: 'Terminate 2 instances' });
    expect(await confirmTerm.isDisabled()).toBe(true);
    await term.getByLabel('Type terminate 2 instances to confirm').fill('terminate 2 instances');
    await confirmTerm.click();
    await eventually(
      async () => {
        const { data } = await carol.GET('/api/v1/instances', {});
        return data && data.items.filter((i) => i.status !== 'terminated').length === 0 ? true : undefined;
      },
      'both instances terminated',
      45_000,
    );
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor({ timeout: 20_000 });

    // The volume lives on after its instance is terminated.
    await eventually(
      async () => {
        const { data } = await carol.GET('/api/v1/volumes/{id}', { params: { path: { id: volume.id } } });
        return data?.status === 'available' && data.instanceId === null ? data : undefined;
      },
      'carol-data detached and available',
      30_000,
    );

    // The audit viewer finds the actions just taken.
    for (const action of ['instances.launch', 'instances.stop', 'instances.terminate']) {
      await page.goto(`/monitoring/audit?action=${action}`);
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      await page.getByRole('cell', { name: action }).first().waitFor();
    }
    const audit = await carol.GET('/api/v1/logs/audit', {
      params: { query: { action: 'instances.launch' } },
    });
    expect(audit.data?.items.length).toBe(2);
    await screenshot(page, 'compute-audit-light');
    await context.close();
  });

  test('a ReadOnly user sees no action buttons and the API refuses them; another user sees nothing of carol', async () => {
    await seedUser(e2e.admin, { username: 'dave', password: 'dave-password-01', role: 'operator' });
    const dave = await apiAs(e2e.baseUrl, 'dave', 'dave-password-01');
    const launched = await dave.POST('/api/v1/instances', {
      body: {
        name: 'dave-box',
        type: 'lxc',
        template: await firstTemplate(dave, 'lxc'),
        instanceType: 't.micro',
      },
    });
    expect(launched.response.status).toBe(202);
    const id = launched.data!.instance.id;
    await waitForStatus(dave, 'dave-box', 'running');

    // A second user (not admin) sees none of dave's resources, and cannot act on them.
    await seedUser(e2e.admin, { username: 'erin', password: 'erin-password-01', role: 'operator' });
    const erin = await apiAs(e2e.baseUrl, 'erin', 'erin-password-01');
    const erinList = await erin.GET('/api/v1/instances', {});
    expect(erinList.data?.items.map((i) => i.id)).not.toContain(id);
    const erinStop = await erin.POST('/api/v1/instances/{id}/stop', { params: { path: { id } }, body: {} });
    expect(erinStop.response.status).toBe(404);
    const ec = await newContext(e2e.browser, e2e.baseUrl);
    const ep = await ec.newPage();
    await signIn(ep, 'erin', 'erin-password-01');
    await ep.goto('/compute/instances');
    await ep.getByRole('heading', { name: 'No instances yet' }).waitFor();
    await ep.goto(`/compute/instances/${id}`);
    await ep.getByText('Could not load this instance').waitFor();
    await ec.close();

    // ReadOnly: no launch, no actions, and the API refuses anyway.
    await seedUser(e2e.admin, { username: 'cx-reader', password: 'cx-reader-pass-1', role: 'readonly' });
    const reader = await apiAs(e2e.baseUrl, 'cx-reader', 'cx-reader-pass-1');
    const refused = await reader.POST('/api/v1/instances/{id}/stop', { params: { path: { id } }, body: {} });
    expect(refused.response.status).toBe(403);
    const refusedLaunch = await reader.POST('/api/v1/instances', {
      body: { name: 'reader-box', type: 'lxc', template: 'x', instanceType: 't.micro' },
    });
    expect(refusedLaunch.response.status).toBe(403);
    const readerCtx = await newContext(e2e.browser, e2e.baseUrl, { colorScheme: 'dark' });
    const readerPage = await readerCtx.newPage();
    await signIn(readerPage, 'cx-reader', 'cx-reader-pass-1');
    await readerPage.goto('/compute/instances');
    await readerPage.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
    await readerPage.getByRole('heading', { name: 'No instances yet' }).waitFor();
    expect(await readerPage.getByRole('link', { name: 'Launch instance' }).count()).toBe(0);
    expect(await readerPage.getByRole('button', { name: /^Actions for/ }).count()).toBe(0);
    await readerPage.goto('/compute/key-pairs');
    await readerPage.getByRole('heading', { name: 'Key pairs', level: 1 }).waitFor();
    expect(await readerPage.getByRole('button', { name: 'Create key pair' }).count()).toBe(0);
    await readerCtx.close();

    // The admin sees dave's instance with actions, in dark mode and on a phone too.
    for (const [scheme, viewport, suffix] of [
      ['dark', undefined, 'dark'],
      ['light', { width: 390, height: 844 }, 'phone-light'],
      ['dark', { width: 390, height: 844 }, 'phone-dark'],
    ] as const) {
      const ac = await newContext(e2e.browser, e2e.baseUrl, {
        colorScheme: scheme,
        ...(viewport ? { viewport } : {}),
      });
      const ap = await ac.newPage();
      await signIn(ap, 'admin', (await import('../../lib/env.ts')).ADMIN_PASSWORD);
      await ap.goto('/compute/instances');
      await ap.getByRole('link', { name: 'dave-box' }).waitFor();
      await ap.getByRole('button', { name: 'Actions for dave-box' }).waitFor();
      await screenshot(ap, `compute-instances-${suffix}`);
      if (viewport) await assertNoHorizontalOverflow(ap);
      await ap.goto(`/compute/instances/${id}`);
      await ap.getByRole('heading', { name: 'dave-box', level: 1 }).waitFor();
      await screenshot(ap, `compute-instance-${suffix}`);
      if (viewport) await assertNoHorizontalOverflow(ap);
      await ap.goto('/compute/instances/launch');
      await ap.getByRole('heading', { name: 'Launch instance', level: 1 }).waitFor();
      await ap.getByRole('group', { name: 'Image' }).getByRole('radio').first().waitFor();
      await screenshot(ap, `compute-launch-${suffix}`);
      if (viewport) await assertNoHorizontalOverflow(ap);
      await ac.close();
    }
  });
});

async function firstTemplate(client: Client, type: 'lxc' | 'vm'): Promise<string> {
  const { data } = await client.GET('/api/v1/catalog', { params: { query: { type } } });
  const t = data?.items.find((c) => c.launchable);
  if (!t) throw new Error(`no launchable ${type} image in the demo catalog`);
  return t.id;
}
