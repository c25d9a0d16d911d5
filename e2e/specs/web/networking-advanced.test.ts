import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

const DESIGN = `networks:
  - name: lab
    cidr: 10.130.0.0/24
  - name: lab2
    cidr: 10.131.0.0/24
natGateways:
  - name: lab-egress
    networkId: \${networks.lab.id}
routeTables:
  - name: lab-rt
    networkIds:
      - \${networks.lab.id}
    routes:
      - destinationCidr: 0.0.0.0/0
        targetType: natGateway
        targetId: \${natGateways.lab-egress.id}
peerings:
  - name: lab-lab2
    networkId: \${networks.lab.id}
    peerNetworkId: \${networks.lab2.id}
    allowedCidrs:
      - 10.130.0.0/28
`;

describe('networking: route tables, topology and the designer', () => {
  test('a route table in the console; the topology draws it; a designed YAML is planned in Stacks', async () => {
    await seedUser(e2e.admin, { username: 'rita-rt', password: 'rita-rt-password-01', role: 'operator' });
    const rita = await apiAs(e2e.baseUrl, 'rita-rt', 'rita-rt-password-01');
    const made = await rita.POST('/api/v1/networks', { body: { name: 'rita-app', cidr: '10.131.0.0/24' } });
    expect(made.response.status).toBe(201);
    await eventually(
      async () => {
        const { data } = await rita.GET('/api/v1/networks');
        return data?.items.find((n) => n.name === 'rita-app' && n.status === 'available');
      },
      'rita-app available',
      20_000,
    );
    // an instance on rita-app: the designer draws it (read-only) under a drawn network of that name
    const catalog = await rita.GET('/api/v1/catalog', { params: { query: { type: 'lxc' } } });
    const template = catalog.data!.items.find((c) => c.launchable)!.id;
    const launched = await rita.POST('/api/v1/instances', {
      body: {
        name: 'rita-web',
        type: 'lxc',
        template,
        instanceType: 't.micro',
        networkIds: [made.data!.id],
      },
    });
    expect(launched.response.status).toBe(202);
    await eventually(
      async () => {
        const { data } = await rita.GET('/api/v1/instances/{id}', {
          params: { path: { id: launched.data!.instance.id } },
        });
        return data?.status === 'running' && data.nics.length ? data : undefined;
      },
      'rita-web running on rita-app',
      60_000,
    );
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'rita-rt', 'rita-rt-password-01');

    // route tables: the default table serves the network; a new table with a bad route is refused live
    await page.goto('/networking/route-tables');
    await page.getByText('10.131.0.0/24 → local (rita-app)').waitFor();
    await page.getByRole('button', { name: 'Create route table' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create route table' });
    await dialog.getByLabel('Name').fill('rita-private');
    await dialog.getByLabel('rita-app').check();
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await dialog.getByLabel('Destination').fill('10.131.0.0/16');
    await dialog
      .getByText('Overlaps network rita-app (10.131.0.0/24): its own addresses are local.')
      .waitFor();
    await dialog.getByLabel('Destination').fill('10.140.0.0/16');
    await dialog.getByText('Pick the router instance or NAT gateway.').waitFor();
    await dialog.getByRole('button', { name: 'Remove route' }).click();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Route table created').waitFor();
    const { data } = await rita.GET('/api/v1/route-tables');
    expect(data?.items.find((x) => x.name === 'rita-private')?.networkIds.length).toBe(1);

    // topology: the network and both tables
    await page.goto('/networking/topology');
    await page.getByRole('region', { name: 'Network topology' }).getByText('rita-app').first().waitFor();
    await page.getByText('rita-private').first().waitFor();
    await screenshot(page, 'networking-topology-light');

    // designer: a NAT gateway alone is a problem; an imported design is clean and goes to Stacks' plan
    await page.goto('/networking/designer');
    await page.getByRole('button', { name: '+ NAT gateway' }).click();
    await page.getByText('Connect the NAT gateway to the network it serves.').waitFor();
    await page
      .getByLabel('IaC YAML of the design')
      .fill('networks:\n  - name: rita-app\n    cidr: 10.131.0.0/24\n');
    await page.getByRole('button', { name: 'Import this YAML' }).click();
    const canvas = page.getByRole('region', { name: 'Design canvas' });
    await canvas.getByText('rita-web').waitFor();
    await canvas.getByText('Instance (read-only)').waitFor();
    await expect(page.getByLabel('IaC YAML of the design').inputValue()).resolves.not.toContain('rita-web');
    await page.getByLabel('IaC YAML of the design').fill(DESIGN);
    await page.getByRole('button', { name: 'Import this YAML' }).click();
    await page.getByText('Ready to plan.').waitFor();
    // the imported peering is an edge: clicking it opens its inspector with the allowed ranges
    // (the label's background rect, part of the same edge, takes the pointer: click through to it).
    // A forced click does not wait for the canvas to stop moving (the import fits the view), so it
    // may land beside the edge on a busy machine: click again until the inspector shows.
    const labRanges = page.getByLabel('Allowed ranges of lab (comma-separated CIDRs)');
    await expect
      .poll(async () => {
        if (!(await labRanges.isVisible()))
          await page.getByText('peering lab-lab2 (10.130.0.0/28)').click({ force: true });
        return labRanges.isVisible();
      })
      .toBe(true);
    await page.getByLabel('Allowed ranges of lab (comma-separated CIDRs)').fill('10.131.0.0/28');
    await page.getByText(/10\.131\.0\.0\/28 is not inside lab/).waitFor();
    await page.getByLabel('Allowed ranges of lab (comma-separated CIDRs)').fill('10.130.0.0/28');
    await page.getByText('Ready to plan.').waitFor();
    // the peer side's ranges: validated against lab2, exported as peerAllowedCidrs
    await page.getByLabel('Allowed ranges of lab2 (comma-separated CIDRs)').fill('10.130.0.16/28');
    await page.getByText(/10\.130\.0\.16\/28 is not inside lab2/).waitFor();
    await page.getByLabel('Allowed ranges of lab2 (comma-separated CIDRs)').fill('10.131.0.16/28');
    await page.getByText('Ready to plan.').waitFor();
    await expect(page.getByLabel('IaC YAML of the design').inputValue()).resolves.toContain(
      'peerAllowedCidrs',
    );
    await screenshot(page, 'networking-designer-light');
    await page.getByRole('button', { name: 'Plan in Stacks' }).click();
    await page.waitForURL('**/iac');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const plan = page.getByTestId('plan');
    await plan.getByText('5 to add, 0 to change, 0 to replace, 0 to destroy').waitFor();
    await expect(plan.getByText('peerings.lab-lab2').isVisible()).resolves.toBe(true);
    await expect(plan.getByText('routeTables.lab-rt').isVisible()).resolves.toBe(true);
    await context.close();
  });
});
