'use strict';
/**
 * Lets Node run the kit's TypeScript directly: `node --require ./src/cli/typescript-hook.cjs src/cli/main.ts`
 * (what the npm scripts do). Each `.ts` file is transpiled once with the TypeScript compiler and the
 * project's own compiler options, and the JavaScript is kept in `node_modules/.cache/govstack-kit-ts/`
 * under a hash of everything that decides it; a run that finds every file there loads no compiler
 * at all. Type checking stays `tsc --noEmit`'s business (`npm test`).
 *
 * Stack traces name TypeScript lines for the kit's own files only, and only in an Error's trace: Node's
 * own source-map support (`--enable-source-maps`) would also decode the inline maps of every cdktf and
 * cdk8s file at load and map the full stack that cdktf records for every token it creates, which cost
 * about a quarter of a second per synthesis. Started with `--enable-source-maps`, Node's support is used.
 *
 * Every module the command loads, the kit's and its libraries', is compiled through a V8 code cache
 * (code-cache.cjs), which knows each kit file by its transpile key.
 *
 * Why not tsx: it starts a second Node process and resolves every `require` of every package through
 * its own hooks, which cost more than loading cdktf, cdk8s and cdk8s-plus-28 themselves; this hook
 * transpiles only the kit's own `.ts` files and leaves resolving every `require` to Node.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { SourceMap } = require('node:module');
const path = require('node:path');

const { startCodeCache } = require('./code-cache.cjs');
const { writtenStack } = require('./stack-trace.cjs');
const { writeInPlace } = require('./write-in-place.cjs');

/** Each kit file's transpile key: what its JavaScript is a function of, for the code cache. */
const transpileKeyOf = new Map();

// Before any module is compiled, so that every one goes through the cache.
startCodeCache((filename) => transpileKeyOf.get(filename));

const PROJECT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(PROJECT, 'node_modules', '.cache', 'govstack-kit-ts');
const TSCONFIG = readFileSync(path.join(PROJECT, 'tsconfig.json'), 'utf8');
const COMPILER = require('typescript/package.json').version;

let typescript;
let compilerOptions;

function transpile(source, filename) {
  typescript ??= require('typescript');
  if (!compilerOptions) {
    const { options, errors } = typescript.convertCompilerOptionsFromJson(JSON.parse(TSCONFIG).compilerOptions, PROJECT);
    if (errors.length > 0) throw new Error(`tsconfig.json: ${typescript.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`);
    // Stack traces of an internal error name the TypeScript line, through the inline source map.
    compilerOptions = { ...options, noEmit: false, sourceMap: false, inlineSourceMap: true, inlineSources: false };
  }
  return typescript.transpileModule(source, { fileName: filename, compilerOptions }).outputText;
}

function compiled(source, filename) {
  const key = createHash('sha256').update(`${COMPILER}\0${TSCONFIG}\0${filename}\0${source}`).digest('hex');
  transpileKeyOf.set(filename, key);
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const javascript = transpile(source, filename);
    writeInPlace(cached, javascript);
    return javascript;
  }
}

/** The JavaScript run for each of the kit's files, whose inline source map is decoded only when a trace needs it. */
const javascriptOf = new Map();
const sourceMapOf = new Map();

require.extensions['.ts'] = (module, filename) => {
  const javascript = compiled(readFileSync(filename, 'utf8'), filename);
  javascriptOf.set(filename, javascript);
  module._compile(javascript, filename);
};

function sourceMap(filename) {
  if (!sourceMapOf.has(filename)) {
    const inline = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(javascriptOf.get(filename));
    sourceMapOf.set(filename, inline ? new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8'))) : undefined);
  }
  return sourceMapOf.get(filename);
}

/** A frame as V8 writes it, with a kit file's position moved to its TypeScript line and column. */
function mappedFrame(callSite) {
  const frame = String(callSite);
  const filename = callSite.getFileName();
  const line = callSite.getLineNumber();
  const column = callSite.getColumnNumber();
  if (!javascriptOf.has(filename) || line === null || column === null) return frame;
  let entry;
  try {
    entry = sourceMap(filename)?.findEntry(line - 1, column - 1);
  } catch {
    // A map that cannot be read leaves the JavaScript position, never a failure inside a failure.
    return frame;
  }
  if (entry?.originalLine === undefined) return frame;
  const position = `${filename}:${line}:${column}`;
  const at = frame.lastIndexOf(position);
  if (at < 0) return frame;
  return `${frame.slice(0, at)}${filename}:${entry.originalLine + 1}:${entry.originalColumn + 1}${frame.slice(at + position.length)}`;
}

const nodeHandlesSourceMaps = process.execArgv.includes('--enable-source-maps') || /--enable-source-maps/.test(process.env.NODE_OPTIONS ?? '');
if (!nodeHandlesSourceMaps) {
  // Only an Error's trace is read by a person, so only its frames are mapped to TypeScript lines.
  Error.prepareStackTrace = (error, callSites) => writtenStack(error, callSites, mappedFrame);
}
