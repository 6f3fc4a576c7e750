/**
 * The review as a document independent of its format: REVIEW.md and review.html render the same
 * sections, so the two can never say different things. Text may hold `code` spans in backticks.
 */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'notice'; readonly tone: 'warning' | 'info'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      /** Stable id, so tests and readers can find a table. */
      readonly id: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
      /** Columns whose cells are numbers (right-aligned). */
      readonly numeric?: readonly number[];
      /** Said instead of an empty table. */
      readonly empty: string;
    }
  | { readonly kind: 'diagram'; readonly svg: string; readonly file: string; readonly alt: string };

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
  readonly subsections?: readonly Section[];
}

export interface ReviewDocument {
  readonly title: string;
  readonly subtitle: string;
  readonly sections: readonly Section[];
}

export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const notice = (tone: 'warning' | 'info', text: string): Block => ({ kind: 'notice', tone, text });
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
export function table(id: string, columns: readonly string[], rows: readonly (readonly string[])[], options: { numeric?: number[]; empty?: string } = {}): Block {
  return { kind: 'table', id, columns, rows, numeric: options.numeric, empty: options.empty ?? 'None.' };
}
