import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('networking: a NAT gateway of kind NAT VM', () => {
  test('picked in the create dialog, built, shown with its public address and health, deleted', async () => {
    await seedUser(e2e.admin, { username: 'nora-nat', password: 'nora-nat-password-01', role: 'operator' });
    const nora = await apiAs(e2e.baseUrl, 'nora-nat', 'nora-nat-password-01');
    const made = await nora.POST('/api/v1/networks', { body: { name: 'nora-app', cidr: '10.132.0.0/24' } });
    expect(made.response.status).toBe(201);
    await eventually(
      async () => {
        const { data } = await nora.GET('/api/v1/networks');
        return data?.items.find((n) => n.name === 'nora-app' && n.status === 'available');
      },
      'nora-app available',
      20_000,
    );
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'nora-nat', 'nora-nat-password-01');

    await page.goto('/networking/nat-gateways');
    await page.getByText('No NAT gateways yet').waitFor();
    await page.getByRole('button', { name: 'Create NAT gateway' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create NAT gateway' });
    await dialog.getByLabel('Name').fill('nora-edge');
    await dialog.getByLabel('Network').selectOption({ label: 'nora-app (10.132.0.0/24)' });
    await dialog.getByLabel('Kind').selectOption('natVm');
    await dialog.getByText('static public address that survives re-creation').waitFor();
    await dialog.getByLabel('Public address (optional)').fill('203.0.113.77');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText('NAT gateway creating').waitFor();
    // the list follows the operation: available, healthy, both addresses
    await page.getByText('203.0.113.77').waitFor({ timeout: 60_000 });
    await page.getByText('next hop 10.132.0.2', { exact: false }).waitFor();
    await page.getByText('healthy', { exact: true }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'networking-nat-vm-light');
    const { data } = await nora.GET('/api/v1/nat-gateways');
    expect(data?.items[0]).toMatchObject({
      kind: 'natVm',
      publicAddress: '203.0.113.77',
      status: 'available',
    });

    await page.getByRole('button', { name: 'Delete NAT gateway nora-edge' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete NAT gateway nora-edge?' });
    await confirm.getByText('Its container is stopped and destroyed').waitFor();
    await confirm.getByRole('button', { name: 'Delete NAT gateway' }).click();
    await page.getByText('No NAT gateways yet').waitFor({ timeout: 60_000 });
    await context.close();
  });
});
