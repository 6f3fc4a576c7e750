'use strict';
const { mkdirSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

/**
 * Writes `file` (and its folder) under a temporary name and renames it into place, so that two
 * commands at once never read half a file. For the TypeScript hook and its code cache, which run
 * before any TypeScript can; the kit's own code has `writeCacheFile` (src/upstream/cache-dir.ts).
 */
function writeInPlace(file, content) {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

module.exports = { writeInPlace };
