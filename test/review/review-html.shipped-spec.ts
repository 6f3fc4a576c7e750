import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { drawDiagrams } from '../../src/review/architecture-diagrams';
import { startDiagramLayout } from '../../src/review/graphviz';
import { MIN_LABEL_PX, PRINTED_CONTENT_PX } from '../../src/review/printed-page';
import { buildReviewModel } from '../../src/review/review-model';
import { reviewBundleFiles } from '../../src/review/write-bundle';
import { synthesizedShipped } from '../support/shipped';
import { fixtureSubject } from './fixture';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): Playwright cannot download a browser here. */
const CHROMIUM = '/usr/bin/chromium';

describe('review.html in a real browser (headless Chromium)', () => {
  let context: BrowserContext;
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`);
    context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'govstack-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context.on('request', (request) => {
      if (!request.url().startsWith('file://')) requests.push(request.url());
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
  });

  async function open(file: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`file://${file}`);
    return page;
  }

  const cells = (page: Page, table: string) => page.locator(`table[data-table="${table}"] tbody tr`).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => (td.textContent ?? "").trim())));

  it('would see a request a page makes (so "fetching nothing" below means something)', async () => {
    const page = await context.newPage();
    await page.setContent('<img src="http://127.0.0.1:9/probe.png">');
    await page.close();
    expect(requests.splice(0)).toEqual(['http://127.0.0.1:9/probe.png']);
  });

  it('renders each shipped environment\'s page with its diagram and its real content, fetching nothing', async () => {
    const { root, results } = synthesizedShipped();
    for (const result of results) {
      const page = await open(path.join(root, 'dist', result.env.name, 'review.html'));
      expect(await page.title()).toContain(result.env.name);
      expect(await page.locator('figure[data-diagram="architecture.svg"] svg').count()).toBe(1);
      const environment = await cells(page, 'environment');
      expect(environment).toContainEqual(['Country', `${result.env.country.name} (${result.env.country.code})`]);
      expect((await cells(page, 'components')).map((row) => row[0])).toEqual(result.components.map((c) => c.component));
      const namespaces = result.components.flatMap((c) => c.manifests).filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);
      expect((await cells(page, 'capacity-namespaces')).map((row) => row[0])).toEqual(expect.arrayContaining(namespaces));
      const boxes = await page.locator('figure svg g.cluster title').allTextContents();
      expect(boxes).toEqual(expect.arrayContaining(namespaces.map((namespace) => `cluster_${namespace}`)));
      expect((await cells(page, 'security-servers')).map((row) => row[0])).toEqual(result.env.xroad.members.map((m) => m.name));
      await page.close();
    }
    expect(requests).toEqual([]);
  }, 600_000);

  /**
   * Printed on A4 portrait with the page's 10 mm margins, the content is 718 px wide (at 96 px to
   * the inch); the page is opened at that width as print media, and every label of every diagram is
   * measured as the browser draws it: its font size times the scale the diagram is shrunk by.
   */
  it('prints every diagram of each shipped environment with labels at least 9 px high at A4 width, none spilling out of its box', async () => {
    const { root, results } = synthesizedShipped();
    const printed = await context.newPage();
    await printed.setViewportSize(PRINTED_CONTENT_PX);
    await printed.emulateMedia({ media: 'print' });
    for (const result of results) {
      await printed.goto(`file://${path.join(root, 'dist', result.env.name, 'review.html')}`);
      const labels = await printed.locator('figure svg text').evaluateAll((texts) =>
        texts.map((text) => {
          const { getComputedStyle } = globalThis as unknown as { getComputedStyle(element: unknown): { fontSize: string } };
          const scale = (text as unknown as { getScreenCTM(): { d: number } | null }).getScreenCTM()?.d ?? 0;
          const box = text.getBoundingClientRect();
          const shape = text.closest('g.node, g.cluster')?.querySelector('polygon, path, ellipse');
          const outline = shape?.getBoundingClientRect();
          return {
            text: text.textContent,
            diagram: text.closest('figure')?.getAttribute('data-diagram'),
            px: parseFloat(getComputedStyle(text).fontSize) * scale,
            spills: outline !== undefined && (box.left < outline.left - 1 || box.right > outline.right + 1 || box.top < outline.top - 1 || box.bottom > outline.bottom + 1),
            right: box.right,
          };
        }),
      );
      expect(labels.length).toBeGreaterThan(100);
      expect(labels.filter((label) => label.px < MIN_LABEL_PX)).toEqual([]);
      expect(labels.filter((label) => label.spills)).toEqual([]);
      expect(labels.filter((label) => label.right > PRINTED_CONTENT_PX.width)).toEqual([]);
    }
    await printed.close();
  }, 600_000);

  it('draws every workload, database and allowed flow of a country in the diagrams', async () => {
    const model = buildReviewModel(fixtureSubject());
    const dir = mkdtempSync(path.join(tmpdir(), 'govstack-review-'));
    const layout = startDiagramLayout();
    const [diagrams] = drawDiagrams([model.diagrams], (graphs) => layout.layOut(graphs));
    layout.cancel();
    for (const [file, text] of reviewBundleFiles(model, diagrams, { basis: 'first', changes: [] })) {
      if (!file.includes('/')) writeFileSync(path.join(dir, file), text);
    }
    const page = await open(path.join(dir, 'review.html'));
    const nodes = await page.locator('figure svg g.node title').allTextContents();
    expect(nodes).toEqual(expect.arrayContaining(model.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}`)));
    const edges = await page.locator('figure svg g.edge title').allTextContents();
    expect(edges).toContain('bb-registry/Deployment/registry-api->bb-registry/Cluster/registry-db');
    expect(await page.locator('figure svg').first().boundingBox()).toEqual(expect.objectContaining({ width: expect.any(Number) }));
    expect((await cells(page, 'flows')).length).toBe(5);
    expect((await cells(page, 'routes'))[0][0]).toBe('registry.gov.fixtures.example');
    await page.close();
    expect(requests).toEqual([]);
  }, 600_000);
});
