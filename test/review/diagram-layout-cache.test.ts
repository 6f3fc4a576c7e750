import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startDiagramLayout } from '../../src/review/graphviz';

const ONE = 'digraph { a -> b }';
const TWO = 'digraph { c -> d -> e }';

describe('diagram layouts, kept by their DOT source', () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'diagram-layouts-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('lays out each new graph once with Graphviz and keeps its layout', () => {
    const layout = startDiagramLayout({ cacheDir });
    try {
      const [one, two] = layout.layOut([ONE, TWO]);
      expect(one.svg).toContain('>a<');
      expect(two.svg).toContain('>e<');
    } finally {
      layout.cancel();
    }
    expect(readdirSync(cacheDir).filter((file) => file.endsWith('.json'))).toHaveLength(2);
  });

  it('reads a kept layout instead of laying the graph out again', () => {
    const kept = (dot: string) => path.join(cacheDir, `${createHash('sha256').update(dot).digest('hex')}.json`);
    const fresh = startDiagramLayout({ cacheDir });
    const [two] = fresh.layOut([TWO]);
    fresh.cancel();
    // Graph two's layout kept under graph one's name: only a layout read from the cache shows it for graph one.
    copyFileSync(kept(TWO), kept(ONE));
    const layout = startDiagramLayout({ cacheDir });
    const [one] = layout.layOut([ONE]);
    layout.cancel();
    expect(one.svg).toBe(two.svg);
  });

  it('lays a graph out again when its kept layout is not JSON (a damaged cache file)', () => {
    const kept = path.join(cacheDir, `${createHash('sha256').update(ONE).digest('hex')}.json`);
    writeFileSync(kept, '{ half a layout');
    const layout = startDiagramLayout({ cacheDir });
    const [one] = layout.layOut([ONE]);
    layout.cancel();
    expect(one.svg).toContain('>a<');
    expect(() => JSON.parse(readFileSync(kept, 'utf8'))).not.toThrow();
  });
});
