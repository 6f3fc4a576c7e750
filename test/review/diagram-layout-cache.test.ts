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
  const keyOf = (dot: string) => createHash('sha256').update(dot).digest('hex');
  /** The folder of kept drawings, named by how diagrams are drawn: diagram-svg.ts's source. */
  const drawnFolder = path.join(cacheDir, `drawn-${createHash('sha256').update(readFileSync(path.join(__dirname, '../../src/review/diagram-svg.ts'), 'utf8')).digest('hex').slice(0, 16)}`);
  const forgetDrawings = () => rmSync(drawnFolder, { recursive: true, force: true });

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
    forgetDrawings();
    const kept = (dot: string) => path.join(cacheDir, `${createHash('sha256').update(dot).digest('hex')}.json`);
    const fresh = startDiagramLayout({ cacheDir });
    const [two] = fresh.layOut([TWO]);
    fresh.cancel();
    // Graph two's layout kept under graph one's name: only a layout read from the cache shows it for graph one.
    copyFileSync(kept(TWO), kept(ONE));
    forgetDrawings();
    const layout = startDiagramLayout({ cacheDir });
    const [one] = layout.layOut([ONE]);
    layout.cancel();
    expect(one.svg).toBe(two.svg);
  });

  it('keeps each drawing under how diagrams are drawn, and reads it instead of drawing the layout again', () => {
    forgetDrawings();
    const layout = startDiagramLayout({ cacheDir });
    const [one] = layout.layOut([ONE]);
    expect(JSON.parse(readFileSync(path.join(drawnFolder, `${keyOf(ONE)}.json`), 'utf8'))).toEqual(one);

    writeFileSync(path.join(drawnFolder, `${keyOf(ONE)}.json`), JSON.stringify({ svg: '<svg>kept</svg>', width: 1, height: 2 }));
    expect(layout.layOut([ONE])).toEqual([{ svg: '<svg>kept</svg>', width: 1, height: 2 }]);
    layout.cancel();
  });

  it('draws with diagram-svg.ts alone, so that its source names every way of drawing', () => {
    expect(readFileSync(path.join(__dirname, '../../src/review/diagram-svg.ts'), 'utf8')).not.toMatch(/^import |require\(/m);
  });

  it('lays a graph out again when its kept layout is not JSON (a damaged cache file)', () => {
    forgetDrawings();
    const kept = path.join(cacheDir, `${createHash('sha256').update(ONE).digest('hex')}.json`);
    writeFileSync(kept, '{ half a layout');
    const layout = startDiagramLayout({ cacheDir });
    const [one] = layout.layOut([ONE]);
    layout.cancel();
    expect(one.svg).toContain('>a<');
    expect(() => JSON.parse(readFileSync(kept, 'utf8'))).not.toThrow();
  });
});
