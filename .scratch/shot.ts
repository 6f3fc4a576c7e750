import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
(async () => {
  const context = await chromium.launchPersistentContext(mkdtempSync('/tmp/chr-'), { executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 }, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await context.newPage();
  await page.goto('file://' + process.argv[2]);
  await page.screenshot({ path: '/tmp/page1.png' });
  const fig = await page.$('figure');
  await fig!.screenshot({ path: '/tmp/diagram.png' });
  await page.locator('#capacity').screenshot({ path: '/tmp/capacity.png' });
  await context.close();
})();
