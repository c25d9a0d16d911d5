import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { apiAs } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

function sshKey(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const part = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]).toString('base64')}`;
}

const FILE = `stack: iris-lab
keyPairs:
  - name: iris-deploy
    publicKey: ${sshKey()}
buckets:
  - name: iris-assets
`;

describe('iac: stacks page', () => {
  test('upload a file, get schema completion, plan as a diff, apply, see resources and history, destroy', async () => {
    await seedUser(e2e.admin, { username: 'iris', password: 'iris-password-01', role: 'operator' });
    const iris = await apiAs(e2e.baseUrl, 'iris', 'iris-password-01');
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'iris', 'iris-password-01');
    await page.goto('/iac');
    await page.getByRole('heading', { name: 'No stacks yet' }).waitFor();

    await page
      .getByLabel('Upload a YAML file')
      .setInputFiles({ name: 'iris-lab.yaml', mimeType: 'text/yaml', buffer: Buffer.from(FILE) });
    const editor = page.getByRole('textbox', { name: 'Infrastructure file (YAML)' });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('snap');
    await page.locator('.cm-tooltip-autocomplete').getByText('snapshots', { exact: true }).first().waitFor();
    await screenshot(page, 'iac-completion-light');
    await page.keyboard.press('Escape');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');

    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const plan = page.getByTestId('plan');
    await plan.getByText('2 to add, 0 to change, 0 to replace, 0 to destroy').waitFor();
    await expect(plan.getByText('buckets.iris-assets').isVisible()).resolves.toBe(true);
    await screenshot(page, 'iac-plan-light');

    await page.getByRole('button', { name: 'Apply this plan' }).click();
    // the apply runs as an operation: one line per resource, then the outcome
    const run = page.getByRole('region', { name: 'Apply of stack iris-lab' });
    await run.getByText('+ create buckets.iris-assets').waitFor();
    await run.getByText('Apply complete').waitFor();
    await page.getByRole('link', { name: 'iris-assets' }).waitFor();
    await page.getByRole('table', { name: 'History of iris-lab' }).getByText('iris').first().waitFor();
    const stacks = await iris.GET('/api/v1/stacks');
    expect(stacks.data?.items.map((s) => [s.name, s.resourceCount])).toEqual([['iris-lab', 2]]);

    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Destroy', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Destroy stack iris-lab?' });
    await dialog.getByRole('textbox').fill('iris-lab');
    await dialog.getByRole('button', { name: 'Destroy resources' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('region', { name: 'Destroy of stack iris-lab' })
      .getByText('Destroy complete')
      .waitFor();
    const buckets = await iris.GET('/api/v1/buckets');
    expect(buckets.data?.items.map((b) => b.name)).not.toContain('iris-assets');
    await context.close();
  });
});
