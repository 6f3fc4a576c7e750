import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error';

/**
 * Reading an environment file that may be careless or hostile: every limit here is far above what a
 * country's file needs (a few kilobytes, nesting of five or six, no aliases) and far below what
 * would exhaust memory or the stack, and each refusal names the file and, where it can, the line.
 */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Longest single value: annotations and descriptions fit; a pasted blob does not. */
export const MAX_VALUE_CHARACTERS = 4096;
/** Nesting of `[ ]` and `{ }`: the YAML parser recurses on it and overflows in the thousands. */
export const MAX_FLOW_NESTING = 32;
/** Aliases (`*name`) in one file, and the nodes their expansion may produce in all. */
export const MAX_ALIASES = 50;
export const MAX_ALIAS_EXPANSION = 1000;
/** Keys that change what an object is rather than what it holds (prototype pollution). */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export type FieldPath = readonly (string | number)[];

/** The file's bytes as text, or a ConfigError: too large, or not UTF-8 (with the offset of the first bad byte). */
export function decodeEnvironmentFile(bytes: Uint8Array, file: string): string {
  if (bytes.length > MAX_FILE_BYTES) throw fileTooLarge(file, bytes.length);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Byte(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
    throw new ConfigError([
      {
        file,
        line,
        column: offset - lineStart + 1,
        field: '',
        expected: `UTF-8 text, but byte ${offset} (0x${bytes[offset].toString(16).toUpperCase().padStart(2, '0')}) is not valid UTF-8: save the file as UTF-8`,
      },
    ]);
  }
}

export function fileTooLarge(file: string, bytes: number): ConfigError {
  return new ConfigError([
    {
      file,
      field: '',
      expected: `an environment file of at most ${MAX_FILE_BYTES} bytes (1 MiB), and this one has ${bytes}: it holds only what differs from its profile`,
    },
  ]);
}

/**
 * The offset of the first byte that is not part of a valid UTF-8 sequence. The lenient decoder
 * replaces exactly such bytes with U+FFFD; a U+FFFD written in the file is told apart by its own bytes.
 */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const text = new TextDecoder('utf-8').decode(bytes);
  const encoder = new TextEncoder();
  for (let index = text.indexOf('\uFFFD'); index >= 0; index = text.indexOf('\uFFFD', index + 1)) {
    const offset = encoder.encode(text.slice(0, index)).length;
    const written = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (!written) return offset;
  }
  return 0;
}

/** A parsed environment file: the document for positions and the plain data it holds. */
export interface ParsedYaml {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly data: unknown;
}

/** Parses YAML text within the limits above; every refusal is a ConfigError naming the file. */
export function parseBoundedYaml(text: string, file: string): ParsedYaml {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) throw fileTooLarge(file, bytes);
  const nesting = deepestFlowNesting(text);
  if (nesting) {
    const { line, col } = linePosOf(text, nesting.offset);
    throw new ConfigError([
      { file, line, column: col, field: '', expected: `at most ${MAX_FLOW_NESTING} levels of nested [ ] and { }` },
    ]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({
        file,
        line: error.linePos?.[0].line,
        column: error.linePos?.[0].col,
        field: '',
        expected: `valid YAML (${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')})`,
      })),
    );
  }
  const problems = structuralProblems(doc, lines, file);
  if (problems.length > 0) throw new ConfigError(problems);
  try {
    return { doc, lines, data: doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION }) };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new ConfigError([
      { file, field: '', expected: `aliases (*name) that expand to at most ${MAX_ALIAS_EXPANSION} values in all (${error.message.toLowerCase()})` },
    ]);
  }
}

/** Where `[`/`{` first nest deeper than allowed, outside quotes and comments; undefined when they never do. */
function deepestFlowNesting(text: string): { offset: number } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\n' && depth === 0) quote = undefined;
      continue;
    }
    if (char === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if ((char === '"' || char === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) {
      quote = char;
    } else if (char === '[' || char === '{') {
      depth += 1;
      if (depth > MAX_FLOW_NESTING) return { offset: i };
    } else if ((char === ']' || char === '}') && depth > 0) {
      depth -= 1;
    }
  }
  return undefined;
}

function linePosOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/** Forbidden keys, too many aliases and oversized values, found on the document so each has a position. */
function structuralProblems(doc: Document, lines: LineCounter, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  let aliases = 0;
  const at = (node: Node | null | undefined, fieldPath: FieldPath, problem: Omit<ConfigProblem, 'file' | 'field'>): void => {
    const position = node?.range ? lines.linePos(node.range[0]) : undefined;
    problems.push({ file, line: position?.line, column: position?.col, field: fieldPath.join('.'), ...problem });
  };
  const walk = (node: unknown, fieldPath: FieldPath): void => {
    if (isAlias(node)) {
      aliases += 1;
      if (aliases === MAX_ALIASES + 1) {
        at(node, fieldPath, { value: `*${node.source}`, expected: `at most ${MAX_ALIASES} aliases (*name) in an environment file` });
      }
    } else if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.length > MAX_VALUE_CHARACTERS) {
        at(node, fieldPath, { value: node.value, expected: `a value of at most ${MAX_VALUE_CHARACTERS} characters` });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...fieldPath, index]));
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key !== 'string' && typeof key !== 'number') {
          at(pair.key as Node, fieldPath, { expected: 'plain keys (a word, not a list, mapping or alias) in every mapping' });
          continue;
        }
        const keyPath = [...fieldPath, String(key)];
        if (FORBIDDEN_KEYS.includes(String(key))) {
          at(pair.key as Node, keyPath, {
            value: plainValue(pair.value),
            expected: `no key named "${key}": ${FORBIDDEN_KEYS.map((k) => `"${k}"`).join(', ')} are refused at any depth (they would change what the kit's objects are, not what they hold)`,
          });
          continue;
        }
        if (String(key).length > MAX_VALUE_CHARACTERS) {
          at(pair.key as Node, fieldPath, { value: String(key), expected: `a key of at most ${MAX_VALUE_CHARACTERS} characters` });
          continue;
        }
        walk(pair.value, keyPath);
      }
    }
  };
  walk(doc.contents, []);
  return problems;
}

/** A node's value for a message, without resolving aliases (which is what the limits guard). */
function plainValue(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isAlias(node)) return `*${node.source}`;
  if (isMap(node) || isSeq(node)) return node.toJSON();
  return null;
}
