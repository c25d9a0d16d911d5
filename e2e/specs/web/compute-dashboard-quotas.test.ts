import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('compute: dashboard and quotas', () => {
  test('an admin sets a quota in the console; the user sees usage, and the wizard refuses to go over it', async () => {
    const quinnId = await seedUser(e2e.admin, {
      username: 'quinn',
      password: 'quinn-password-1',
      role: 'operator',
    });
    const quinn = await apiAs(e2e.baseUrl, 'quinn', 'quinn-password-1');

    // Admin: IAM → Quotas, edit quinn to one instance and 2 vCPUs.
    const ac = await newContext(e2e.browser, e2e.baseUrl);
    const ap = await ac.newPage();
    await signIn(ap, 'admin', ADMIN_PASSWORD);
    await ap.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Quotas' }).click();
    await ap.getByRole('heading', { name: 'Quotas', level: 1 }).waitFor();
    await ap.getByRole('button', { name: 'Edit quota of quinn' }).click();
    const dialog = ap.getByRole('dialog', { name: 'Quota for quinn' });
    await dialog.getByLabel('Instances').fill('1');
    await dialog.getByLabel('vCPUs').fill('2');
    await screenshot(ap, 'compute-quota-dialog-light');
    await dialog.getByRole('button', { name: 'Save quota' }).click();
    await ap.getByText('Quota saved').waitFor();
    const q = await e2e.admin.GET('/api/v1/quotas/{userId}', { params: { path: { userId: quinnId } } });
    expect(q.data?.limits.instances).toBe(1);
    expect(q.data?.limits.vcpu).toBe(2);
    expect(q.data?.source).toBe('user');
    await screenshot(ap, 'compute-quotas-light');
    await ac.close();

    // quinn launches one instance (API), then sees it on the dashboard with the quota used.
    const catalog = await quinn.GET('/api/v1/catalog', { params: { query: { type: 'lxc' } } });
    const template = catalog.data!.items.find((c) => c.launchable)!.id;
    const launched = await quinn.POST('/api/v1/instances', {
      body: { name: 'quinn-1', type: 'lxc', template, instanceType: 't.micro' },
    });
    expect(launched.response.status).toBe(202);
    await eventually(
      async () => {
        const { data } = await quinn.GET('/api/v1/instances/{id}', {
          params: { path: { id: launched.data!.instance.id } },
        });
        return data?.status === 'running' ? data : undefined;
      },
      'quinn-1 running',
      45_000,
    );

    for (const [scheme, viewport, suffix] of [
      ['light', undefined, 'light'],
      ['dark', undefined, 'dark'],
      ['light', { width: 390, height: 844 }, 'phone-light'],
      ['dark', { width: 390, height: 844 }, 'phone-dark'],
    ] as const) {
      const c = await newContext(e2e.browser, e2e.baseUrl, {
        colorScheme: scheme,
        ...(viewport ? { viewport } : {}),
      });
      const p = await c.newPage();
      // The dashboard reads counts from GET /instances/summary, never the whole instance list.
      const instanceCalls: string[] = [];
      p.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/api/v1/instances') && !path.endsWith('/metrics')) instanceCalls.push(path);
      });
      await signIn(p, 'quinn', 'quinn-password-1');
      await p
        .getByRole('list', { name: 'Instances by state' })
        .getByText('1 running')
        .waitFor({ timeout: 20_000 });
      await p.getByRole('link', { name: 'quinn-1' }).waitFor();
      // The curve comes from the last hour of Proxmox's RRD (GET /instances/{id}/metrics) plus the live
      // value; a guest that just started has no history yet and says "collecting samples" until it has
      // two 5 s samples. Either way a real curve is there within 20 s, never a made-up flat line.
      await p.getByRole('img', { name: /^CPU history of quinn-1/ }).waitFor();
      await p
        .getByRole('img', { name: /^CPU history of quinn-1(, last hour)?$/ })
        .waitFor({ timeout: 20_000 });
      await p.getByRole('list', { name: 'Instances per node' }).getByText('1 instance · 1 running').waitFor();
      await p.getByText('0 VMs · 1 container').waitFor();
      expect(instanceCalls.length).toBeGreaterThan(0);
      expect(instanceCalls.every((path) => path === '/api/v1/instances/summary')).toBe(true);
      await screenshot(p, `compute-dashboard-${suffix}`);
      if (viewport) await assertNoHorizontalOverflow(p);
      await c.close();
    }

    // The wizard checks the quota while you type: a second instance is over it.
    const c = await newContext(e2e.browser, e2e.baseUrl);
    const p = await c.newPage();
    await signIn(p, 'quinn', 'quinn-password-1');
    await p.goto('/compute/instances/launch');
    await p.getByLabel('Name', { exact: true }).fill('quinn-2');
    await p.getByRole('group', { name: 'Image' }).getByRole('radio').first().check();
    await p.getByRole('alert').filter({ hasText: 'Over your quota' }).waitFor();
    await p.getByText(/Instances: 1 used \+ 1 > quota 1/).waitFor();
    await screenshot(p, 'compute-launch-over-quota-light');
    // Over quota the button is disabled, with the reason next to it.
    const launchButton = p.getByRole('button', { name: 'Launch instance' });
    expect(await launchButton.isDisabled()).toBe(true);
    await p.getByText('Launch is disabled: this would go over your quota.').waitFor();
    await launchButton.click({ force: true });
    expect(p.url()).toMatch(/\/compute\/instances\/launch$/);
    const list = await quinn.GET('/api/v1/instances', {});
    expect(list.data?.items.map((i) => i.name)).toEqual(['quinn-1']);

    // Users see their own usage on the Quotas page, without edit buttons.
    await p.goto('/iam/quotas');
    await p.getByRole('cell', { name: /^quinn/ }).waitFor();
    expect(await p.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    await c.close();
  });
});
