import { describe, expect, test } from 'vitest';
import { apiAs } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
const USER = 'health-operator';
const PASSWORD = 'health-password-0001';

/** 500 running instances on `node` with CPU from 0 to 99 % (green, yellow and red boxes). */
function manyInstances(node: string) {
  return Array.from({ length: 500 }, (_, k) => ({
    id: `i-${k.toString(16).padStart(17, '0')}`,
    name: `vm-${String(k).padStart(4, '0')}`,
    ownerId: 'usr-00000000000000000',
    type: 'qemu',
    status: 'running',
    node,
    vmid: 1000 + k,
    nics: [],
    usage: { cpu: (k % 100) / 100, memoryBytes: 100, memoryMaxBytes: 1000 },
  }));
}

describe('health map', () => {
  test('nodes and volumes in colour, details panel; 500 instances stay searchable and clickable', async () => {
    await seedUser(e2e.admin, { username: USER, password: PASSWORD, role: 'operator' });
    const me = await apiAs(e2e.baseUrl, USER, PASSWORD);
    const node = (await me.GET('/api/v1/nodes')).data!.items[0]!.node;
    const vol = await me.POST('/api/v1/volumes', { body: { name: 'health-data', sizeGib: 1 } });
    expect(vol.response.status).toBe(201);

    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, USER, PASSWORD);
    await page.goto('/monitoring/health');
    await page.getByRole('heading', { name: 'Health map', level: 1 }).waitFor();
    const map = page.getByRole('region', { name: 'Health map' });

    // the real node, coloured by its CPU/memory, and the volume (coloured by status)
    const nodeBox = map.locator(`.react-flow__node[data-id="node:${node}"]`);
    await nodeBox.waitFor();
    expect(await nodeBox.locator('[data-health]').getAttribute('data-health')).toMatch(
      /^(green|yellow|red)$/,
    );
    const volBox = map.locator(`.react-flow__node[data-id="volume:${vol.data!.id}"]`);
    await volBox.waitFor();
    await expect
      .poll(() => volBox.locator('[data-health]').getAttribute('data-health'), { timeout: 60_000 })
      .toBe('green');
    await nodeBox.click();
    const panel = page.getByRole('complementary');
    await panel.getByText(`Node ${node}`).waitFor();
    expect(await panel.getByRole('link', { name: 'Node metrics' }).getAttribute('href')).toContain(
      `/monitoring/metrics?node=${node}`,
    );
    await volBox.click();
    await panel.getByText('Volume health-data').waitFor();

    // 500 instances (the list answer replaced in the browser: one node with 500 running guests)
    const many = manyInstances(node);
    await page.route(/\/api\/v1\/instances\?/, (route) =>
      route.fulfill({ json: { items: many, total: many.length, limit: 1000, offset: 0 } }),
    );
    await page.reload();
    // a loaded CI machine needs a while to draw 500 boxes after the reload
    await page.getByText('500 instances shown').waitFor({ timeout: 90_000 });
    // each instance coloured by its own CPU: found by search (the map draws only the boxes in view)
    for (const [k, colour] of [
      [95, 'red'],
      [80, 'yellow'],
      [10, 'green'],
    ] as const) {
      const name = `vm-${String(k).padStart(4, '0')}`;
      await page.getByLabel('Search instances and volumes').fill(name);
      await page.getByText('1 instance shown').waitFor({ timeout: 60_000 });
      const one = map.locator(`.react-flow__node[data-id="instance:${many[k]!.id}"] [data-health]`);
      await expect.poll(() => one.getAttribute('data-health'), { timeout: 60_000 }).toBe(colour);
    }
    await page.getByLabel('Search instances and volumes').fill('vm-0042');
    await page.getByText('1 instance shown').waitFor({ timeout: 60_000 });
    const box = map.locator(`.react-flow__node[data-id="instance:${many[42]!.id}"]`);
    await box.waitFor({ timeout: 60_000 });
    await box.click();
    await panel.getByText('Instance vm-0042').waitFor();
    expect(await panel.getByRole('link', { name: 'Open instance' }).getAttribute('href')).toBe(
      `/compute/instances/${many[42]!.id}`,
    );

    // toggles and the phone layout
    await page.getByRole('checkbox', { name: 'Volumes' }).uncheck();
    await page.getByLabel('Search instances and volumes').fill('health-data');
    await expect.poll(() => map.locator('[data-kind="volume"]').count()).toBe(0);
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await context.close();
  }, 300_000);
});
