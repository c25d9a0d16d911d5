import { describe, expect, test } from 'vitest';
import { apiAs } from '../../lib/api.ts';
import { newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII8Nd55zxrF877SBjtkw6jWLQMVrvRcX7OURu9Y91Oul';
const PUBLIC_KEY_2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK+UED7ToABy0h/+F6Wrl171K8KJ8Q8K1piXDek/YqV2';

describe('compute: launch wizard', () => {
  test("an admin sees only their own key pairs; user-data is checked while typing and the API's answer shown", async () => {
    await seedUser(e2e.admin, { username: 'kim', password: 'kim-password-001', role: 'operator' });
    const kim = await apiAs(e2e.baseUrl, 'kim', 'kim-password-001');
    const kimKey = await kim.POST('/api/v1/key-pairs/import', {
      body: { name: 'kim-laptop', publicKey: PUBLIC_KEY },
    });
    expect(kimKey.response.status, JSON.stringify(kimKey.error)).toBe(201);
    const adminKey = await e2e.admin.POST('/api/v1/key-pairs/import', {
      body: { name: 'admin-desk', publicKey: PUBLIC_KEY_2 },
    });
    expect(adminKey.response.status, JSON.stringify(adminKey.error)).toBe(201);
    // The admin's list holds both (admins read everyone's key pairs; other specs share this server
    // and may have added their own) …
    const all = await e2e.admin.GET('/api/v1/key-pairs', { params: { query: { limit: 1000 } } });
    expect(all.data?.items.map((k) => k.name)).toEqual(expect.arrayContaining(['admin-desk', 'kim-laptop']));

    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/compute/instances/launch');
    await page.getByRole('heading', { name: 'Launch instance', level: 1 }).waitFor();
    // … but an instance trusts only its owner's keys: the wizard offers the admin's own.
    await page.getByRole('checkbox', { name: /admin-desk/ }).waitFor();
    expect(await page.getByRole('checkbox', { name: /kim-laptop/ }).count()).toBe(0);

    await page.getByLabel('Name', { exact: true }).fill('cloud-vm');
    await page.getByRole('radio', { name: 'Virtual machine' }).check();
    const image = page.getByRole('group', { name: 'Image' }).getByRole('radio').first();
    await image.waitFor();
    await image.check();
    await page.getByRole('checkbox', { name: /admin-desk/ }).check();

    // User-data is checked while you type, like the API does.
    const userData = page.getByLabel('Cloud-init user-data');
    await userData.fill('packages: [htop]');
    await page.getByText(/The first line must start with #cloud-config/).waitFor();
    await userData.fill('#cloud-config\npackages: [htop]\n');
    await page.getByText(/VMs only\. Starts with #cloud-config/).waitFor();
    await screenshot(page, 'compute-launch-user-data-light');
    await page.getByRole('button', { name: 'Launch instance' }).click();
    // Either the launch is accepted (the instance page) or the API refused the user-data (422, e.g. no
    // host agent for snippets in this setup): then its message stands under the field.
    const outcome = await Promise.race([
      page
        .getByRole('heading', { name: 'cloud-vm', level: 1 })
        .waitFor()
        .then(() => 'launched' as const),
      page
        .getByRole('alert')
        .filter({ hasText: 'Could not launch' })
        .waitFor()
        .then(() => 'refused' as const),
    ]);
    if (outcome === 'launched') {
      expect(page.url()).toMatch(/\/compute\/instances\/i-[0-9a-f]{17}$/);
      const list = await e2e.admin.GET('/api/v1/instances', { params: { query: { q: 'cloud-vm' } } });
      expect(list.data?.items[0]?.keyPairIds).toEqual([adminKey.data!.id]);
    } else {
      const message = await page.getByRole('alert').filter({ hasText: 'Could not launch' }).textContent();
      expect(message?.length ?? 0).toBeGreaterThan(20);
      await screenshot(page, 'compute-launch-user-data-refused-light');
    }
    await context.close();
  });

  test('storage and bridge are picked from what the node has; a static IPv4 goes into the launch', async () => {
    await seedUser(e2e.admin, { username: 'lee', password: 'lee-password-0001', role: 'operator' });
    const lee = await apiAs(e2e.baseUrl, 'lee', 'lee-password-0001');
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'lee', 'lee-password-0001');
    await page.goto('/compute/instances/launch');
    await page.getByRole('heading', { name: 'Launch instance', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('static-ct');
    const image = page.getByRole('group', { name: 'Image' }).getByRole('radio').first();
    await image.waitFor();
    await image.check();

    const nodeSelect = page.getByLabel('Node', { exact: true });
    const node = (await nodeSelect.locator('option').allTextContents())[1]!;
    await nodeSelect.selectOption(node);
    const storage = page.getByLabel('Storage pool');
    await storage.locator('option[value="local-lvm"]').waitFor({ state: 'attached' });
    await expect.poll(() => storage.isEnabled()).toBe(true);
    // only storages that hold containers on that node ('local' holds ISOs and templates)
    const storages = await storage
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(storages).toContain('local-lvm');
    expect(storages).not.toContain('local');
    await storage.selectOption('local-lvm');
    const bridge = page.getByLabel('Network bridge');
    // the node's bridges only: SDN VNets of ProxiCloud networks (other specs make some) are picked
    // by name under "Networks", never offered as bridges; '' = the default network
    const bridges = await bridge.locator('option').allTextContents();
    expect(bridges).toEqual(['Default network (private)', 'vmbr0', 'vmbr1']);
    await bridge.selectOption('vmbr1');

    await page.getByLabel('IPv4 address').selectOption('static');
    const address = page.getByLabel('Address (CIDR)');
    await address.fill('192.168.50.10');
    await page.getByText(/An IPv4 address with its prefix length/).waitFor();
    await address.fill('192.168.50.10/24');
    await page.getByLabel('Gateway (optional)').fill('192.168.50.1');
    await screenshot(page, 'compute-launch-placement-light');
    await page.getByRole('button', { name: 'Launch instance' }).click();
    await page.getByRole('heading', { name: 'static-ct', level: 1 }).waitFor();

    const list = await lee.GET('/api/v1/instances', { params: { query: { q: 'static-ct' } } });
    expect(list.data?.items[0]).toMatchObject({
      node,
      storage: 'local-lvm',
      bridge: 'vmbr1',
      network: { mode: 'static', address: '192.168.50.10/24', gateway: '192.168.50.1' },
    });
    await context.close();
  });
});
