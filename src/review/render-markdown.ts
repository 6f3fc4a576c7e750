import type { Block, ReviewDocument, Section } from './document';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>') || ' ';
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return b.text;
    case 'notice':
      return `> **${b.tone === 'warning' ? 'Warning' : 'Note'}:** ${b.text}`;
    case 'list':
      return b.items.map((item) => `- ${item}`).join('\n');
    case 'diagram':
      return `![${b.alt}](${b.file})\n\n(The same diagram is inline in \`review.html\`.)`;
    case 'table': {
      if (b.rows.length === 0) return `_${b.empty}_`;
      const align = b.columns.map((_, i) => (b.numeric?.includes(i) ? '--:' : '---'));
      return [
        `| ${b.columns.map(cell).join(' | ')} |`,
        `| ${align.join(' | ')} |`,
        ...b.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ].join('\n');
    }
  }
}

export function section(s: Section, depth: number): string {
  return [`${'#'.repeat(depth)} ${s.title}`, ...s.blocks.map(block), ...(s.subsections ?? []).map((sub) => section(sub, depth + 1))].join('\n\n');
}

/** REVIEW.md: the review as Markdown, readable in any repository browser or merge request. */
export function renderMarkdown(document: ReviewDocument): string {
  const contents = document.sections.map((s) => `- [${s.title}](#${s.id})`).join('\n');
  return `${[`# ${document.title}`, document.subtitle, contents, ...document.sections.map((s) => `<a id="${s.id}"></a>\n\n${section(s, 2)}`)].join('\n\n')}\n`;
}
