/** A laid-out diagram: its SVG and its size in points. */
export interface LaidOutDiagram {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** One of Graphviz's drawing operations (xdot), as its JSON output gives them. */
type DrawOp =
  | { readonly op: 'c' | 'C'; readonly color: string }
  | { readonly op: 'S'; readonly style: string }
  | { readonly op: 'F'; readonly size: number; readonly face: string }
  | { readonly op: 'T'; readonly pt: readonly [number, number]; readonly align: 'l' | 'c' | 'r'; readonly width: number; readonly text: string }
  | { readonly op: 'E' | 'e'; readonly rect: readonly [number, number, number, number] }
  | { readonly op: 'P' | 'p' | 'L' | 'B' | 'b'; readonly points: readonly (readonly [number, number])[] }
  | { readonly op: 't' | 'I' };

interface DrawnObject {
  readonly name?: string;
  readonly nodes?: readonly number[];
  readonly _draw_?: readonly DrawOp[];
  readonly _ldraw_?: readonly DrawOp[];
}

interface DrawnEdge {
  readonly tail: number;
  readonly head: number;
  readonly _draw_?: readonly DrawOp[];
  readonly _hdraw_?: readonly DrawOp[];
  readonly _tdraw_?: readonly DrawOp[];
  readonly _ldraw_?: readonly DrawOp[];
  readonly _hldraw_?: readonly DrawOp[];
  readonly _tldraw_?: readonly DrawOp[];
}

/** Graphviz's JSON output (`-Tjson`): the graph's bounding box, its subgraphs and nodes, its edges. */
export interface GraphvizLayout {
  readonly bb: string;
  readonly _ldraw_?: readonly DrawOp[];
  readonly objects?: readonly DrawnObject[];
  readonly edges?: readonly DrawnEdge[];
}

/** Faces with Helvetica's widths first, so that a label usually needs no squeezing at all. */
const FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', Arimo, sans-serif";
const PAD = 2;

const round = (n: number) => Math.round(n * 100) / 100;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Draws a Graphviz layout as SVG. Graphviz lays labels out with Helvetica's widths; a browser
 * without Helvetica (or a metric twin) substitutes a wider face, and text would spill out of its
 * box. So every label carries the width Graphviz gave it (`textLength`) and the browser fits the
 * glyphs to that width, whatever face it uses.
 */
export function drawSvg(layout: GraphvizLayout): LaidOutDiagram {
  const [llx, lly, urx, ury] = layout.bb.split(',').map(Number);
  const width = round(urx - llx + 2 * PAD);
  const height = round(ury - lly + 2 * PAD);
  const x = (value: number) => round(value - llx + PAD);
  const y = (value: number) => round(ury - value + PAD);
  const point = ([px, py]: readonly [number, number]) => `${x(px)},${y(py)}`;

  const draw = (ops: readonly DrawOp[] | undefined): string[] => {
    const out: string[] = [];
    let pen = '#000000';
    let fill = 'none';
    let dash = '';
    let lineWidth = 1;
    let font = { size: 14, face: 'Helvetica' };
    const stroke = (filled: boolean) =>
      `fill="${filled ? escapeXml(fill) : 'none'}" stroke="${escapeXml(pen)}"${lineWidth === 1 ? '' : ` stroke-width="${lineWidth}"`}${dash}`;
    for (const op of ops ?? []) {
      switch (op.op) {
        case 'c':
          pen = op.color;
          break;
        case 'C':
          fill = op.color;
          break;
        case 'S': {
          const setWidth = /^setlinewidth\(([\d.]+)\)$/.exec(op.style);
          if (setWidth) lineWidth = Number(setWidth[1]);
          else if (op.style === 'dashed') dash = ' stroke-dasharray="5,2"';
          else if (op.style === 'dotted') dash = ' stroke-dasharray="1,5"';
          else if (op.style === 'solid') dash = '';
          else if (op.style === 'bold') lineWidth = 2;
          break;
        }
        case 'F':
          font = { size: op.size, face: op.face };
          break;
        case 'T': {
          if (op.text.trim() === '') break;
          const anchor = op.align === 'l' ? 'start' : op.align === 'r' ? 'end' : 'middle';
          const fitted = op.width > 0 ? ` textLength="${round(op.width)}" lengthAdjust="spacingAndGlyphs"` : '';
          out.push(`<text x="${x(op.pt[0])}" y="${y(op.pt[1])}" text-anchor="${anchor}" font-size="${round(font.size)}"${fitted} fill="${escapeXml(pen)}" xml:space="preserve">${escapeXml(op.text)}</text>`);
          break;
        }
        case 'E':
        case 'e': {
          const [cx, cy, rx, ry] = op.rect;
          out.push(`<ellipse cx="${x(cx)}" cy="${y(cy)}" rx="${round(rx)}" ry="${round(ry)}" ${stroke(op.op === 'E')}/>`);
          break;
        }
        case 'P':
        case 'p':
          out.push(`<polygon points="${op.points.map(point).join(' ')}" ${stroke(op.op === 'P')}/>`);
          break;
        case 'L':
          out.push(`<polyline points="${op.points.map(point).join(' ')}" ${stroke(false)}/>`);
          break;
        case 'B':
        case 'b': {
          const [first, ...rest] = op.points;
          const curves: string[] = [];
          for (let i = 0; i + 2 < rest.length; i += 3) curves.push(`C${point(rest[i])} ${point(rest[i + 1])} ${point(rest[i + 2])}`);
          out.push(`<path d="M${point(first)} ${curves.join(' ')}" ${stroke(op.op === 'B')}/>`);
          break;
        }
      }
    }
    return out;
  };

  const objects = layout.objects ?? [];
  const group = (kind: string, title: string, body: string[]) => `<g class="${kind}"><title>${escapeXml(title)}</title>${body.join('')}</g>`;
  const clusters = objects.filter((o) => o.nodes && o.name?.startsWith('cluster')).map((o) => group('cluster', o.name ?? '', [...draw(o._draw_), ...draw(o._ldraw_)]));
  const nodes = objects.filter((o) => !o.nodes).map((o) => group('node', o.name ?? '', [...draw(o._draw_), ...draw(o._ldraw_)]));
  const edges = (layout.edges ?? []).map((e) =>
    group('edge', `${objects[e.tail]?.name}->${objects[e.head]?.name}`, [e._draw_, e._hdraw_, e._tdraw_, e._ldraw_, e._hldraw_, e._tldraw_].flatMap(draw)),
  );
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    '<g class="graph">',
    ...draw(layout._ldraw_),
    ...clusters,
    ...edges,
    ...nodes,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
  return { svg, width, height };
}
