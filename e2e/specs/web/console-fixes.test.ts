// Release 1 hardening (issue 10): the plan's page addresses, phone widths of the instance and volume
// pages, names instead of ids, the sign-in form, ReadOnly's dashboard, and the instance Metrics tab.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
type Client = Awaited<ReturnType<typeof apiAs>>;
const PHONE = { width: 390, height: 844 };

async function running(client: Client, id: string) {
  return eventually(
    async () => {
      const { data } = await client.GET('/api/v1/instances/{id}', { params: { path: { id } } });
      return data?.status === 'running' ? data : undefined;
    },
    `${id} running`,
    45_000,
  );
}

/**
 * Hovers a chart's plot at `fraction` of its width (0 = first point, 1 = last) until its tooltip
 * shows `text` (the chart may still be settling into its final size when it first appears).
 */
async function hoverShows(figure: ReturnType<Page['locator']>, fraction: number, text: RegExp) {
  const surface = figure.locator('.recharts-surface');
  const grid = figure.locator('.recharts-cartesian-grid');
  await eventually(
    async () => {
      const s = await surface.boundingBox();
      const g = await grid.boundingBox();
      if (!s || !g) return undefined;
      const x = g.x - s.x + Math.min(g.width - 2, Math.max(2, g.width * fraction));
      await surface.hover({ position: { x, y: s.height / 2 }, force: true });
      const tip = figure.locator('.recharts-tooltip-wrapper').getByText(text).first();
      return (await tip.isVisible()) ? true : undefined;
    },
    `a tooltip with ${text}`,
    15_000,
  );
}

/** The element is what a tap at its centre hits (not clipped by a scroll box or covered). */
async function onTop(page: Page, locator: ReturnType<Page['locator']>) {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  const hit = await locator.evaluate(
    (el, p) => {
      const at = document.elementFromPoint(p.x, p.y);
      return at !== null && (at === el || el.contains(at));
    },
    { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 },
  );
  expect(hit, 'element hit at its centre').toBe(true);
  expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
}

/** The document is no wider than the viewport (nothing sticks out sideways on a phone). */
async function fitsViewport(page: Page) {
  await page.waitForLoadState('networkidle');
  await assertNoHorizontalOverflow(page);
  const { doc, vw } = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    vw: window.innerWidth,
  }));
  expect(doc, `${page.url()} scrollWidth`).toBeLessThanOrEqual(vw);
}

// Launched by the first test; the Metrics test needs the guest to have run across a minute boundary
// (Proxmox writes one RRD point per minute), so it starts as early as possible.
let op: { client: Client; instanceId: string; keyName: string } | undefined;

describe('console fixes', () => {
  test('an operator launches a VM with a key pair (used by the tests below)', async () => {
    await seedUser(e2e.admin, { username: 'olga', password: 'olga-password-01', role: 'operator' });
    const client = await apiAs(e2e.baseUrl, 'olga', 'olga-password-01');
    const key = await client.POST('/api/v1/key-pairs', { body: { name: 'olga-laptop' } });
    expect(key.response.status).toBe(201);
    const catalog = await client.GET('/api/v1/catalog', { params: { query: { type: 'vm' } } });
    const template = catalog.data?.items.find((c) => c.launchable)?.id;
    expect(template).toBeTruthy();
    const launched = await client.POST('/api/v1/instances', {
      body: {
        name: 'olga-web',
        type: 'vm',
        template: template!,
        instanceType: 't.micro',
        keyPairIds: [key.data!.keyPair.id],
      },
    });
    expect(launched.response.status).toBe(202);
    op = { client, instanceId: launched.data!.instance.id, keyName: 'olga-laptop' };
    await running(client, op.instanceId);
  }, 90_000);

  test('the product plan’s page addresses lead to the console’s pages, never "Page not found"', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    const cases: [string, RegExp, string | RegExp][] = [
      ['/dashboard', /\/$/, /^Welcome/],
      ['/instances?status=running', /\/compute\/instances\?status=running$/, 'Instances'],
      ['/instances/create', /\/compute\/instances\/launch$/, 'Launch instance'],
      ['/volumes', /\/compute\/volumes$/, 'Volumes'],
      ['/volumes/create', /\/compute\/volumes$/, 'Volumes'],
      ['/storage/buckets', /\/storage\/buckets$/, 'Buckets'],
      ['/monitoring', /\/monitoring\/metrics$/, 'Metrics'],
      ['/monitoring/logs', /\/monitoring\/audit$/, 'Audit log'],
      ['/templates', /\/apps$/, 'Apps'],
      ['/functions', /\/functions$/, 'Functions'],
    ];
    for (const [from, to, heading] of cases) {
      await page.goto(from);
      await page.waitForURL(to);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      expect(await page.getByRole('heading', { name: 'Page not found' }).count(), from).toBe(0);
    }
    // Anything else still says so.
    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await context.close();
  }, 120_000);

  test('the sign-in form checks an empty submit and drops the previous attempt’s error', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter your username.').waitFor();
    expect(await page.getByLabel('Username').evaluate((el) => el === document.activeElement)).toBe(true);

    await page.getByLabel('Username').fill('olga');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Incorrect username or password.').waitFor();
    expect(await page.getByText('Enter your username.').count()).toBe(0);
    // The password box was emptied; submitting again is an empty submit, not the old failure.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter your password.').waitFor();
    expect(await page.getByText('Incorrect username or password.').count()).toBe(0);
    await screenshot(page, 'login-empty-password-light');
    // Typing clears the field's message.
    await page.getByLabel('Password').fill('x');
    expect(await page.getByText('Enter your password.').count()).toBe(0);
    await context.close();
  }, 90_000);

  test('ReadOnly is not invited to launch; the audit filter explains wildcards; the key dialog tells the truth', async () => {
    await seedUser(e2e.admin, { username: 'ruth', password: 'ruth-password-01', role: 'readonly' });
    const rc = await newContext(e2e.browser, e2e.baseUrl);
    const rp = await rc.newPage();
    await signIn(rp, 'ruth', 'ruth-password-01');
    await rp.getByRole('heading', { name: /^Welcome/ }).waitFor();
    await rp.getByText('No instances yet.').waitFor();
    expect(await rp.getByRole('link', { name: 'Launch one' }).count()).toBe(0);
    expect(await rp.getByRole('link', { name: /Launch an instance/ }).count()).toBe(0);
    await screenshot(rp, 'dashboard-readonly-light');
    await rc.close();

    // An operator without instances is invited.
    await seedUser(e2e.admin, { username: 'otto', password: 'otto-password-01', role: 'operator' });
    const oc = await newContext(e2e.browser, e2e.baseUrl);
    const opage = await oc.newPage();
    await signIn(opage, 'otto', 'otto-password-01');
    await opage.getByRole('link', { name: 'Launch one' }).waitFor();
    await oc.close();

    const ac = await newContext(e2e.browser, e2e.baseUrl);
    const ap = await ac.newPage();
    await signIn(ap, 'admin', ADMIN_PASSWORD);
    await ap.goto('/monitoring/audit');
    const action = ap.getByLabel('Action');
    expect(await action.getAttribute('placeholder')).toContain('instances.*');
    await ap.getByText('An exact action, or a prefix ending in * (instances.*)').waitFor();
    // The wildcard does what the hint says.
    await action.fill('auth.*');
    await ap.getByRole('button', { name: 'Apply filters' }).click();
    await ap.getByRole('cell', { name: 'auth.login' }).first().waitFor();

    await ap.goto('/iam/access-keys');
    await ap.getByRole('button', { name: 'Create access key' }).click();
    await ap.getByRole('dialog').getByRole('button', { name: 'Create access key' }).click();
    const created = ap.getByRole('dialog', { name: 'Access key created' });
    await created.getByText(/encrypted with the server's master key/).waitFor();
    expect(await created.getByText(/hash/).count()).toBe(0);
    await ap.getByRole('button', { name: 'Done' }).click();
    await ac.close();
  }, 120_000);

  test('a volume shows the name of its instance, and the instance and volume pages fit a 390 px phone', async () => {
    if (!op) throw new Error('the launch test did not run');
    const { client, instanceId } = op;

    // A volume, created in the console and attached to the VM.
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'olga', 'olga-password-01');
    await page.goto('/compute/volumes');
    await page.getByRole('button', { name: 'Create volume' }).click();
    const create = page.getByRole('dialog', { name: 'Create volume' });
    await create.getByLabel('Volume name').fill('olga-data');
    await create.getByLabel('Size (GiB)').fill('4');
    await create.getByRole('button', { name: 'Create volume' }).click();
    const vol = await eventually(
      async () => {
        const { data } = await client.GET('/api/v1/volumes', { params: { query: { q: 'olga-data' } } });
        const v = data?.items.find((x) => x.name === 'olga-data');
        return v?.status === 'available' ? v : undefined;
      },
      'olga-data available',
      20_000,
    );
    const attached = await client.POST('/api/v1/volumes/{id}/attach', {
      params: { path: { id: vol.id } },
      body: { instanceId },
    });
    expect(attached.response.status).toBe(202);
    // A second one stays available (the "Available" badge is wider than "In use").
    await create.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Create volume' }).click();
    await create.getByLabel('Volume name').fill('olga-archive');
    await create.getByLabel('Size (GiB)').fill('2');
    await create.getByRole('button', { name: 'Create volume' }).click();
    await page
      .getByRole('row', { name: /olga-archive/ })
      .getByText('Available')
      .waitFor({ timeout: 30_000 });
    const row = page.getByRole('row', { name: /olga-data/ });
    await row.getByText('In use').waitFor({ timeout: 30_000 });

    // "Attached to" names the instance (not i-…) and links to it.
    const link = row.getByRole('link', { name: 'olga-web' });
    await link.waitFor();
    expect(await row.getByText(instanceId, { exact: true }).count()).toBe(0);
    await screenshot(page, 'compute-volumes-attached-name-light');
    await link.click();
    await page.getByRole('heading', { name: 'olga-web', level: 1 }).waitFor();
    expect(page.url()).toContain(`/compute/instances/${instanceId}`);
    await context.close();

    for (const scheme of ['light', 'dark'] as const) {
      const phone = await newContext(e2e.browser, e2e.baseUrl, { colorScheme: scheme, viewport: PHONE });
      const p = await phone.newPage();
      await signIn(p, 'olga', 'olga-password-01');
      // The instance page with its key pair (a SHA256 fingerprint is one long word).
      await p.goto(`/compute/instances/${instanceId}`);
      await p.getByRole('heading', { name: 'olga-web', level: 1 }).waitFor();
      await p.getByText(/^SHA256:/).waitFor();
      await fitsViewport(p);
      await screenshot(p, `phone-instance-${scheme}`);
      await p.getByRole('tab', { name: 'Volumes' }).click();
      await p.getByText('olga-data').waitFor();
      await fitsViewport(p);
      await p.getByRole('tab', { name: 'Activity' }).click();
      await p.getByText('Launch', { exact: true }).waitFor();
      await fitsViewport(p);

      // The volumes list: every row's action menu is on screen (the table does not scroll sideways) and opens.
      await p.goto('/compute/volumes');
      await p
        .getByRole('row', { name: /olga-archive/ })
        .getByText('Available')
        .waitFor();
      const menu = p.getByRole('button', { name: 'Actions for olga-data' });
      await menu.waitFor();
      await fitsViewport(p);
      const table = await p
        .getByRole('table', { name: 'Volumes' })
        .evaluate((el) => ({ scroll: el.parentElement!.scrollWidth, client: el.parentElement!.clientWidth }));
      expect(table.scroll, 'the volumes table scrolls sideways').toBeLessThanOrEqual(table.client);
      for (const name of ['olga-data', 'olga-archive']) {
        const box = await p.getByRole('button', { name: `Actions for ${name}` }).boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
      }
      await screenshot(p, `phone-volumes-${scheme}`);
      await menu.click();
      // The open menu is whole and on top (a table's scroll box used to clip it).
      for (const item of ['Detach', 'Create snapshot']) {
        const mi = p.getByRole('menuitem', { name: item });
        await mi.waitFor();
        await onTop(p, mi);
      }
      await screenshot(p, `phone-volumes-menu-${scheme}`, { fullPage: false });
      await p.keyboard.press('Escape');
      await phone.close();
    }
  }, 240_000);

  test('the Metrics tab charts what the API returns, by timeframe, with tooltips in binary units', async () => {
    if (!op) throw new Error('the launch test did not run');
    const { client, instanceId } = op;
    // Proxmox writes a point at the end of each minute the guest ran: wait for the first two.
    const metrics = await eventually(
      async () => {
        const { data } = await client.GET('/api/v1/instances/{id}/metrics', {
          params: { path: { id: instanceId }, query: { timeframe: 'hour' } },
        });
        return data && data.points.filter((x) => x.cpuPercent !== null).length >= 2 ? data : undefined;
      },
      'two RRD points for olga-web',
      150_000,
    );
    expect(metrics.points.length).toBeGreaterThan(2);

    for (const [scheme, viewport, suffix] of [
      ['light', undefined, 'light'],
      ['dark', undefined, 'dark'],
      ['light', PHONE, 'phone-light'],
      ['dark', PHONE, 'phone-dark'],
    ] as const) {
      const context = await newContext(e2e.browser, e2e.baseUrl, {
        colorScheme: scheme,
        ...(viewport ? { viewport } : {}),
      });
      const page = await context.newPage();
      await signIn(page, 'olga', 'olga-password-01');
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes(`/instances/${instanceId}/metrics`)) requests.push(r.url());
      });
      await page.goto(`/compute/instances/${instanceId}`);
      await page.getByRole('heading', { name: 'olga-web', level: 1 }).waitFor();
      await page.getByRole('tab', { name: 'Metrics' }).click();
      for (const title of ['CPU', 'Memory', 'Network', 'Disk']) {
        await page.getByRole('figure', { name: `${title} over the last hour` }).waitFor();
      }
      // A drawn line per series (recharts' curve paths).
      await page.locator('.recharts-line-curve').first().waitFor();
      expect(await page.locator('.recharts-line').count()).toBe(6);
      expect(requests.some((u) => u.includes('timeframe=hour'))).toBe(true);

      // Hovering a chart shows the point's values with units.
      const net = page.getByRole('figure', { name: 'Network over the last hour' });
      await hoverShows(net, 1, /\d (B|KiB|MiB|GiB)\/s/);
      await net.locator('.recharts-tooltip-wrapper').getByText('In', { exact: true }).waitFor();
      const mem = page.getByRole('figure', { name: 'Memory over the last hour' });
      await hoverShows(mem, 1, / of \d+(\.\d+)? (MiB|GiB)/);
      if (viewport) await fitsViewport(page);
      await screenshot(page, `compute-instance-metrics-${suffix}`);

      if (suffix === 'light') {
        // Another timeframe is another request and other axis labels.
        // The radio is visually hidden inside its label (a segmented control): click the label.
        await page.getByRole('radio', { name: 'Week' }).check({ force: true });
        // The guest started minutes ago: this week's point is not written yet, and the tab says why.
        await page.getByRole('heading', { name: 'Collecting the first samples' }).waitFor();
        expect(requests.some((u) => u.includes('timeframe=week'))).toBe(true);
        expect(await page.getByRole('radio', { name: 'Week' }).isChecked()).toBe(true);
        await screenshot(page, 'compute-instance-metrics-week-light');
      }
      await context.close();
    }
  }, 240_000);

  test('charts leave gaps where Proxmox has no sample and refresh every 30 s', async () => {
    if (!op) throw new Error('the launch test did not run');
    const { instanceId } = op;
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    // The clock is the browser's, so the refresh can be waited for without sleeping 30 s.
    await page.clock.install();
    await signIn(page, 'olga', 'olga-password-01');
    // A series with a stopped stretch in the middle, served for this page only: the server's own
    // answers for a minutes-old guest have no such stretch yet.
    const start = Date.UTC(2026, 10, 29, 19, 0);
    const points = Array.from({ length: 60 }, (_, i) => {
      const stopped = i >= 20 && i < 35;
      const v = (n: number) => (stopped ? null : n);
      return {
        time: new Date(start + i * 60_000).toISOString(),
        cpuPercent: v(20 + (i % 7) * 5),
        memoryBytes: v(400 * 1024 ** 2 + i * 1024 ** 2),
        memoryMaxBytes: 1024 ** 3,
        netInBytesPerSecond: v(3000 + i * 100),
        netOutBytesPerSecond: v(1000 + i * 50),
        diskReadBytesPerSecond: v(i * 2048),
        diskWriteBytesPerSecond: v(4096),
      };
    });
    let served = 0;
    await page.route(`**/api/v1/instances/${instanceId}/metrics*`, async (route) => {
      served++;
      await route.fulfill({
        json: { instanceId, timeframe: 'hour', cf: 'AVERAGE', stepSeconds: 60, points },
      });
    });
    await page.goto(`/compute/instances/${instanceId}`);
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const cpu = page.getByRole('figure', { name: 'CPU over the last hour' });
    await cpu.locator('.recharts-line-curve').waitFor();
    // Two separate stretches: the line is lifted ("M") where the samples stop and start again.
    const d = (await cpu.locator('.recharts-line-curve').getAttribute('d')) ?? '';
    expect(d.match(/M/g)?.length).toBe(2);
    await screenshot(page, 'compute-instance-metrics-gap-light');
    // Hovering inside the gap says there is no sample.
    await hoverShows(cpu, 27 / 59, /^no sample$/);

    const before = served;
    await page.clock.fastForward(31_000);
    await eventually(async () => (served > before ? true : undefined), 'a refresh after 30 s');
    await context.close();
  }, 120_000);
});
