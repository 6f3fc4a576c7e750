import type { Block, ReviewDocument, Section } from './document';
import { PRINT_MARGIN_MM } from './printed-page';

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #2f6fb3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
header { padding: 24px 32px 12px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 8px 32px; border-bottom: 1px solid var(--line); background: #f6f8fa; position: sticky; top: 0; }
nav a { color: var(--accent); text-decoration: none; white-space: nowrap; }
main { padding: 8px 32px 48px; max-width: 1400px; }
h2 { margin-top: 32px; padding-bottom: 4px; border-bottom: 1px solid var(--line); font-size: 20px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f0f2f4; padding: 1px 4px; border-radius: 4px; }
table { border-collapse: collapse; margin: 12px 0 20px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafbfc; }
.notice { padding: 8px 12px; border-left: 4px solid var(--accent); background: #eef4fb; margin: 12px 0; }
.notice.warning { border-color: #bf8700; background: #fff8e1; }
.empty { color: var(--muted); font-style: italic; }
figure { margin: 12px 0; padding: 12px; border: 1px solid var(--line); border-radius: 6px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 8px; }
@page { size: A4 portrait; margin: ${PRINT_MARGIN_MM}mm; }
@media print {
  nav { display: none; }
  header, main { padding-left: 0; padding-right: 0; }
  figure { padding: 0; border: 0; break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
`;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escaped text with `code` spans and line breaks. */
function inline(text: string): string {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\n/g, '<br>');
}

/** Graphviz's SVG without the XML prolog, DOCTYPE and comments, so it can sit inside HTML. */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return svg.slice(start).replace(/<!--[\s\S]*?-->\n?/g, '').trim();
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'notice':
      return `<div class="notice ${b.tone}" role="note">${inline(b.text)}</div>`;
    case 'list':
      return `<ul>${b.items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
    case 'diagram':
      return `<figure data-diagram="${escape(b.file)}" aria-label="${escape(b.alt)}">${inlineSvg(b.svg)}<figcaption>${escape(b.alt)} (also in ${escape(b.file)})</figcaption></figure>`;
    case 'table': {
      if (b.rows.length === 0) return `<p class="empty" data-table="${escape(b.id)}">${inline(b.empty)}</p>`;
      const head = `<thead><tr>${b.columns.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows.map((row) => `<tr>${row.map((c, i) => `<td${b.numeric?.includes(i) ? ' class="num"' : ''}>${inline(c)}</td>`).join('')}</tr>`);
      return `<table data-table="${escape(b.id)}">${head}<tbody>${rows.join('\n')}</tbody></table>`;
    }
  }
}

function section(s: Section, depth: number): string {
  const heading = `<h${depth}>${inline(s.title)}</h${depth}>`;
  return `<section id="${escape(s.id)}">${heading}\n${[...s.blocks.map(block), ...(s.subsections ?? []).map((sub) => section(sub, depth + 1))].join('\n')}</section>`;
}

/** review.html: one self-contained page (inline style and diagram, no script, nothing fetched). */
export function renderHtml(document: ReviewDocument): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escape(document.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${inline(document.title)}</h1><p>${inline(document.subtitle)}</p></header>
<nav>${document.sections.map((s) => `<a href="#${escape(s.id)}">${inline(s.title)}</a>`).join('')}</nav>
<main>
${document.sections.map((s) => section(s, 2)).join('\n')}
</main>
</body>
</html>
`;
}
