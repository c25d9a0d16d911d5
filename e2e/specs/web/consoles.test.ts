import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
type Client = Awaited<ReturnType<typeof apiAs>>;

// The simulator's VNC screen (packages/proxmox-sim/src/console-screen.ts): title bar colour, the
// input line's position and its "barcode" glyphs (column k lit when bit k of the character is set).
const TITLE = [0x2b, 0x4f, 0x81];
const GLYPH = [0x4a, 0xe0, 0x6a];
const INPUT = { x: 16, y: 32 + 7 * 18, w: 8, h: 12 };

async function launchRunning(client: Client, name: string, type: 'vm' | 'lxc'): Promise<string> {
  const catalog = await client.GET('/api/v1/catalog', { params: { query: { type } } });
  const template = catalog.data?.items.find((c) => c.launchable)?.id;
  expect(template).toBeTruthy();
  const launched = await client.POST('/api/v1/instances', {
    body: { name, type, template: template!, instanceType: 't.micro' },
  });
  expect(launched.response.status).toBe(202);
  const id = launched.data!.instance.id;
  await eventually(
    async () => {
      const { data } = await client.GET('/api/v1/instances/{id}', { params: { path: { id } } });
      return data?.status === 'running' ? data : undefined;
    },
    `${name} running`,
    60_000,
  );
  return id;
}

/** The characters on the simulated screen's input line, read from noVNC's canvas. */
function typedOnCanvas(page: Page, count: number): Promise<string> {
  return page.locator('[data-testid="vnc-screen"] canvas').evaluate(
    (canvas, p) => {
      const ctx = (canvas as HTMLCanvasElement).getContext('2d')!;
      const img = ctx.getImageData(p.input.x, p.input.y, p.input.w * p.count, p.input.h).data;
      let out = '';
      for (let col = 0; col < p.count; col++) {
        let code = 0;
        for (let k = 0; k < 7; k++) {
          const i = (5 * p.input.w * p.count + col * p.input.w + k) * 4;
          if (img[i] === p.glyph[0] && img[i + 1] === p.glyph[1] && img[i + 2] === p.glyph[2]) code |= 1 << k;
        }
        out += code ? String.fromCharCode(code) : '·';
      }
      return out;
    },
    { input: INPUT, glyph: GLYPH, count },
  );
}

describe('consoles', () => {
  test('a VM console paints the simulator’s screen and echoes typed keys', async () => {
    await seedUser(e2e.admin, { username: 'connie', password: 'connie-password-1', role: 'operator' });
    const client = await apiAs(e2e.baseUrl, 'connie', 'connie-password-1');
    const id = await launchRunning(client, 'connie-vm', 'vm');
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'connie', 'connie-password-1');
    await page.goto(`/compute/instances/${id}`);
    await page.getByRole('link', { name: 'Console', exact: true }).click();
    await page.getByRole('heading', { name: 'connie-vm console' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`/compute/instances/${id}/console$`));
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    const canvas = page.locator('[data-testid="vnc-screen"] canvas');
    await eventually(async () => {
      const px = await canvas.evaluate((c) =>
        Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(4, 4, 1, 1).data.slice(0, 3)),
      );
      return px.join() === TITLE.join() ? px : undefined;
    }, 'the title bar painted');
    await canvas.click();
    await page.keyboard.type('hi');
    await eventually(async () => ((await typedOnCanvas(page, 2)) === 'hi' ? true : undefined), 'hi echoed');
    // the toolbar's paste dialog types into the guest key by key
    await page.getByRole('button', { name: 'Type text' }).click();
    const dialog = page.getByRole('dialog', { name: 'Type text into the instance' });
    await dialog.getByLabel('Text').fill('!?');
    await dialog.getByRole('button', { name: 'Type it' }).click();
    await eventually(
      async () => ((await typedOnCanvas(page, 4)) === 'hi!?' ? true : undefined),
      'typed text',
    );
    await screenshot(page, 'console-vnc-light');

    // dark mode on a phone: the console fits the screen
    const phone = await newContext(e2e.browser, e2e.baseUrl, {
      colorScheme: 'dark',
      viewport: { width: 390, height: 844 },
    });
    const p2 = await phone.newPage();
    await signIn(p2, 'connie', 'connie-password-1');
    await p2.goto(`/compute/instances/${id}/console?type=serial`);
    await p2.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await p2.locator('.xterm-rows').filter({ hasText: '# ' }).waitFor();
    await assertNoHorizontalOverflow(p2);
    await screenshot(p2, 'console-serial-phone-dark');
    await phone.close();
    await context.close();
  }, 120_000);

  test('an LXC terminal runs `echo hi` and shows `hi`', async () => {
    await seedUser(e2e.admin, { username: 'conrad', password: 'conrad-password-1', role: 'operator' });
    const client = await apiAs(e2e.baseUrl, 'conrad', 'conrad-password-1');
    const id = await launchRunning(client, 'conrad-ct', 'lxc');
    const context = await newContext(e2e.browser, e2e.baseUrl, { colorScheme: 'dark' });
    const page = await context.newPage();
    await signIn(page, 'conrad', 'conrad-password-1');
    await page.goto(`/compute/instances/${id}/console`);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    const rows = page.locator('.xterm-rows');
    await rows.filter({ hasText: 'root@conrad-ct:~#' }).waitFor();
    await page.locator('[data-testid="terminal"]').click();
    await page.keyboard.type('echo hi');
    await page.keyboard.press('Enter');
    await eventually(async () => {
      const lines = (await rows.locator(':scope > div').allTextContents()).map((l) => l.trim());
      return lines.includes('hi') ? lines : undefined;
    }, 'a line reading hi');
    await screenshot(page, 'console-terminal-dark');
    await context.close();
  }, 120_000);

  test('a read-only user gets no console', async () => {
    await seedUser(e2e.admin, { username: 'conan', password: 'conan-password-1', role: 'readonly' });
    const conan = await apiAs(e2e.baseUrl, 'conan', 'conan-password-1');
    const { response } = await conan.POST('/api/v1/instances/{id}/console', {
      params: { path: { id: 'i-00000000000000000' } },
      body: { type: 'vnc' },
    });
    expect(response.status).toBe(403);
  });
});
