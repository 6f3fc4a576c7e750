'use strict';
/**
 * Lets Node run the kit's TypeScript directly: `node --require ./src/cli/typescript-hook.cjs src/cli/main.ts`
 * (what the npm scripts do). Each `.ts` file is transpiled once with the TypeScript compiler and the
 * project's own compiler options, and the JavaScript is kept in `node_modules/.cache/govstack-kit-ts/`
 * under a hash of everything that decides it; a run that finds every file there loads no compiler
 * at all. Type checking stays `tsc --noEmit`'s business (`npm test`).
 *
 * Why not tsx: it starts a second Node process and resolves every `require` of every package through
 * its own hooks, which cost more than loading cdktf, cdk8s and cdk8s-plus-28 themselves; this hook
 * touches only the kit's own `.ts` files.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

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
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const javascript = transpile(source, filename);
    mkdirSync(CACHE, { recursive: true });
    // Renamed into place, so that two runs at once never read half a file.
    const partial = `${cached}.${process.pid}.partial`;
    writeFileSync(partial, javascript);
    renameSync(partial, cached);
    return javascript;
  }
}

process.setSourceMapsEnabled(true);
require.extensions['.ts'] = (module, filename) => {
  module._compile(compiled(readFileSync(filename, 'utf8'), filename), filename);
};
