import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { FieldPath } from './bounded-yaml';

/**
 * `npm run new-country` writes values that validate but are not the country's own (`.example`
 * domains, documentation addresses), each marked by a comment starting with `REPLACE`. Outside the
 * sandbox such a value must not reach a synthesis: a staging or production environment would
 * otherwise deploy against invented names and addresses without a word.
 */
export const PLACEHOLDER_MARK = 'REPLACE';

const marked = (comment: string | null | undefined) =>
  (comment ?? '').split('\n').some((line) => line.trim().startsWith(PLACEHOLDER_MARK));

/**
 * The fields marked as placeholders: a key with the mark on a line of its own just above it
 * (for the first key of a mapping that comment belongs to the mapping), or a value with the mark after it.
 */
export function placeholderFields(doc: Document): FieldPath[] {
  const fields: FieldPath[] = [];
  const walk = (node: unknown, fieldPath: FieldPath): void => {
    if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...fieldPath, index]));
    if (!isMap(node)) return;
    node.items.forEach((pair, index) => {
      if (!isScalar(pair.key)) return;
      const keyPath = [...fieldPath, String(pair.key.value)];
      const value = pair.value as { comment?: string | null } | null;
      const above = marked(pair.key.commentBefore) || (index === 0 && marked(node.commentBefore));
      if (above || (isScalar(pair.value) && marked(value?.comment))) fields.push(keyPath);
      else walk(pair.value, keyPath);
    });
  };
  walk(doc.contents, []);
  return fields;
}
