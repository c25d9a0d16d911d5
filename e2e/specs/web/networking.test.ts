import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('networking: networks and security groups', () => {
  test('create a network with a live CIDR check, a security group from presets; both via the API too', async () => {
    await seedUser(e2e.admin, { username: 'nora-net', password: 'nora-net-password-01', role: 'operator' });
    const nora = await apiAs(e2e.baseUrl, 'nora-net', 'nora-net-password-01');
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'nora-net', 'nora-net-password-01');
    await page.goto('/networking/networks');
    await page.getByRole('heading', { name: 'No networks yet' }).waitFor();

    await page.getByRole('button', { name: 'Create network' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create network' });
    await dialog.getByLabel('Name').fill('nora-web');
    await dialog.getByLabel('IPv4 CIDR').fill('10.120.0.5/24');
    await dialog.getByText('Host bits are set: did you mean 10.120.0.0/24?').waitFor();
    await dialog.getByLabel('IPv4 CIDR').fill('10.120.0.0/24');
    await dialog.getByText('254 usable addresses: 10.120.0.1 – 10.120.0.254').waitFor();
    await screenshot(page, 'networks-create-light');
    await dialog.getByRole('button', { name: 'Create network' }).click();
    await page.getByText('Network created').waitFor();
    const net = await eventually(
      async () => {
        const { data } = await nora.GET('/api/v1/networks');
        const n = data?.items.find((x) => x.name === 'nora-web');
        return n?.status === 'available' ? n : undefined;
      },
      'nora-web available',
      20_000,
    );
    expect(net.cidr).toBe('10.120.0.0/24');
    await page.getByText('available').first().waitFor();

    await page.goto('/networking/security-groups');
    await page.getByRole('button', { name: 'Create security group' }).click();
    const sg = page.getByRole('dialog', { name: 'Create security group' });
    await sg.getByLabel('Name').fill('nora-ssh');
    await sg.getByRole('button', { name: 'SSH' }).click();
    await sg.getByRole('button', { name: 'ICMP (ping)' }).click();
    await screenshot(page, 'security-group-editor-light');
    await sg.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Security group created').waitFor();
    const { data } = await nora.GET('/api/v1/security-groups');
    const created = data?.items.find((g) => g.name === 'nora-ssh');
    expect(created?.rules.map((r) => [r.protocol, r.fromPort ?? null])).toEqual([
      ['tcp', 22],
      ['icmp', null],
    ]);
    await page.setViewportSize({ width: 390, height: 800 });
    await assertNoHorizontalOverflow(page);
    await context.close();
  });
});
