import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('compute: volumes and snapshots', () => {
  test('create a volume, attach it to a running VM, snapshot it, detach, restore, clone and delete', async () => {
    await seedUser(e2e.admin, { username: 'vera', password: 'vera-password-01', role: 'operator' });
    const vera = await apiAs(e2e.baseUrl, 'vera', 'vera-password-01');
    const catalog = await vera.GET('/api/v1/catalog', { params: { query: { type: 'vm' } } });
    const template = catalog.data?.items.find((c) => c.launchable)?.id;
    expect(template).toBeTruthy();
    const launched = await vera.POST('/api/v1/instances', {
      body: { name: 'db-vm', type: 'vm', template: template!, instanceType: 't.micro' },
    });
    expect(launched.response.status).toBe(202);
    const instanceId = launched.data!.instance.id;
    await eventually(
      async () => {
        const { data } = await vera.GET('/api/v1/instances/{id}', { params: { path: { id: instanceId } } });
        return data?.status === 'running' ? data : undefined;
      },
      'db-vm running',
      45_000,
    );

    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'vera', 'vera-password-01');
    await page.goto('/compute/volumes');
    await page.getByRole('heading', { name: 'No volumes yet' }).waitFor();
    await screenshot(page, 'compute-volumes-empty-light');

    // Create.
    await page.getByRole('button', { name: 'Create volume' }).click();
    const create = page.getByRole('dialog', { name: 'Create volume' });
    await create.getByLabel('Volume name').fill('pgdata');
    await create.getByLabel('Size (GiB)').fill('20');
    await screenshot(page, 'compute-volume-create-light');
    await create.getByRole('button', { name: 'Create volume' }).click();
    await page.getByText('Volume created').waitFor();
    const vol = await eventually(
      async () => {
        const { data } = await vera.GET('/api/v1/volumes', { params: { query: { q: 'pgdata' } } });
        const v = data?.items.find((x) => x.name === 'pgdata');
        return v?.status === 'available' ? v : undefined;
      },
      'pgdata available',
      20_000,
    );
    expect(vol.sizeGib).toBe(20);

    // Attach to the running VM.
    await page.getByRole('button', { name: 'Actions for pgdata' }).click();
    await page.getByRole('menuitem', { name: 'Attach' }).click();
    const attach = page.getByRole('dialog', { name: 'Attach pgdata' });
    await attach.getByLabel('Instance').selectOption(instanceId);
    await attach.getByRole('button', { name: 'Attach volume' }).click();
    const attached = await eventually(
      async () => {
        const { data } = await vera.GET('/api/v1/volumes/{id}', { params: { path: { id: vol.id } } });
        return data?.status === 'in-use' ? data : undefined;
      },
      'pgdata in use',
      30_000,
    );
    expect(attached.instanceId).toBe(instanceId);
    await page
      .getByRole('row', { name: /pgdata/ })
      .getByText('In use')
      .waitFor();
    await page
      .getByRole('row', { name: /pgdata/ })
      // Named by the instance's name (its id is the link's title).
      .getByRole('link', { name: 'db-vm' })
      .waitFor();
    await screenshot(page, 'compute-volumes-light');

    // The instance page lists it.
    await page.goto(`/compute/instances/${instanceId}`);
    await page.getByRole('tab', { name: 'Volumes' }).click();
    await page.getByText('pgdata').waitFor();

    // Snapshot.
    await page.goto('/compute/volumes');
    await page.getByRole('button', { name: 'Actions for pgdata' }).click();
    await page.getByRole('menuitem', { name: 'Create snapshot' }).click();
    const snap = page.getByRole('dialog', { name: 'Snapshot pgdata' });
    await snap.getByLabel('Snapshot name').fill('before-upgrade');
    await snap.getByLabel('Description (optional)').fill('clean install');
    await snap.getByRole('button', { name: 'Create snapshot' }).click();
    await page.getByText('Snapshot created').waitFor();
    const snapshots = await vera.GET('/api/v1/snapshots', { params: { query: { volumeId: vol.id } } });
    expect(snapshots.data?.items.map((s) => s.name)).toEqual(['before-upgrade']);

    // Detach (the dialog warns about mounted disks).
    await page.getByRole('button', { name: 'Actions for pgdata' }).click();
    await page.getByRole('menuitem', { name: 'Detach' }).click();
    const detach = page.getByRole('dialog', { name: 'Detach pgdata?' });
    await detach.getByText('Unmount it in the guest first').waitFor();
    await screenshot(page, 'compute-volume-detach-light');
    await detach.getByRole('button', { name: 'Detach volume' }).click();
    // The VM runs: the server asks the (simulated) QEMU guest agent whether the disk is mounted. When it
    // cannot tell or the disk is mounted, the API answers 409 and the dialog offers "Force detach".
    const force = detach.getByRole('button', { name: 'Force detach' });
    const outcome = await Promise.race([
      force.waitFor().then(() => 'conflict' as const),
      detach.waitFor({ state: 'hidden' }).then(() => 'detached' as const),
    ]);
    if (outcome === 'conflict') {
      await detach
        .getByText(/mounted/)
        .first()
        .waitFor();
      await screenshot(page, 'compute-volume-detach-conflict-light');
      await force.click();
    }
    await eventually(
      async () => {
        const { data } = await vera.GET('/api/v1/volumes/{id}', { params: { path: { id: vol.id } } });
        return data?.status === 'available' ? data : undefined;
      },
      'pgdata detached',
      30_000,
    );

    // Snapshots page: restore, then clone into a new volume.
    await page.goto('/compute/snapshots');
    await page.getByRole('cell', { name: /^before-upgrade/ }).waitFor();
    await screenshot(page, 'compute-snapshots-light');
    await page.getByRole('button', { name: 'Actions for before-upgrade' }).click();
    await page.getByRole('menuitem', { name: 'Restore volume' }).click();
    const restore = page.getByRole('dialog', { name: 'Restore pgdata to before-upgrade?' });
    await restore.getByRole('button', { name: 'Restore volume' }).click();
    await page.getByText('Volume restored').waitFor();

    await page.getByRole('button', { name: 'Actions for before-upgrade' }).click();
    await page.getByRole('menuitem', { name: 'Create volume from snapshot' }).click();
    const clone = page.getByRole('dialog', { name: 'New volume from before-upgrade' });
    await clone.getByLabel('New volume name').fill('pgdata-copy');
    await clone.getByRole('button', { name: 'Create volume' }).click();
    await page.getByText('Volume created from snapshot').waitFor();
    await eventually(async () => {
      const { data } = await vera.GET('/api/v1/volumes', { params: { query: { q: 'pgdata-copy' } } });
      return data?.items.find((v) => v.name === 'pgdata-copy');
    }, 'pgdata-copy exists');

    // Delete the copy with a confirmation naming it.
    await page.goto('/compute/volumes?q=pgdata-copy');
    await page.getByRole('button', { name: 'Actions for pgdata-copy' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const del = page.getByRole('dialog', { name: 'Delete volume pgdata-copy?' });
    await del.getByText(/cannot be recovered/).waitFor();
    const confirmDel = del.getByRole('button', { name: 'Delete volume' });
    expect(await confirmDel.isDisabled()).toBe(true);
    await del.getByLabel('Type pgdata-copy to confirm').fill('pgdata-copy');
    await screenshot(page, 'compute-volume-delete-light');
    await confirmDel.click();
    await eventually(
      async () => {
        const { data } = await vera.GET('/api/v1/volumes', { params: { query: { q: 'pgdata-copy' } } });
        return data && !data.items.some((v) => v.name === 'pgdata-copy' && v.status !== 'deleted')
          ? true
          : undefined;
      },
      'pgdata-copy deleted',
      20_000,
    );

    // Key pairs page: generate and import.
    await page.goto('/compute/key-pairs');
    await page.getByRole('heading', { name: 'No key pairs yet' }).waitFor();
    // RSA 4096 generation can take a while on a loaded machine.
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Create key pair' }).click();
    await page.getByRole('dialog', { name: 'Create key pair' }).getByLabel('Key pair name').fill('vera-rsa');
    await page.getByRole('dialog', { name: 'Create key pair' }).getByLabel('Algorithm').selectOption('rsa');
    await page.getByRole('button', { name: 'Create and download' }).click();
    expect((await download).suggestedFilename()).toBe('vera-rsa.pem');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: /^vera-rsa/ }).waitFor();
    await page
      .getByText(/^SHA256:/)
      .filter({ visible: true })
      .first()
      .waitFor();
    await screenshot(page, 'compute-key-pairs-light');

    // Phone and dark renderings of the storage pages.
    for (const [scheme, viewport, suffix] of [
      ['dark', undefined, 'dark'],
      ['light', { width: 390, height: 844 }, 'phone-light'],
      ['dark', { width: 390, height: 844 }, 'phone-dark'],
    ] as const) {
      const c = await newContext(e2e.browser, e2e.baseUrl, {
        colorScheme: scheme,
        ...(viewport ? { viewport } : {}),
      });
      const p = await c.newPage();
      await signIn(p, 'vera', 'vera-password-01');
      for (const [path, heading, name] of [
        ['/compute/volumes', 'Volumes', 'volumes'],
        ['/compute/snapshots', 'Snapshots', 'snapshots'],
        ['/compute/key-pairs', 'Key pairs', 'key-pairs'],
      ] as const) {
        await p.goto(path);
        await p.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await p.getByRole('row').nth(1).waitFor();
        await screenshot(p, `compute-${name}-${suffix}`);
        if (viewport) await assertNoHorizontalOverflow(p);
      }
      await c.close();
    }
    await context.close();
    // A long journey (launch, attach, snapshot, detach, restore, clone, delete, 4 layouts): 2 shared cores.
  }, 150_000);
});
