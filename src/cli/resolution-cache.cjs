'use strict';
/**
 * Where each `require` of a kit command led last time, kept in its code cache file (code-cache.cjs).
 * Node looks for every `require` again on every start: for a synthesis about two thousand lookups,
 * each trying file names, folders and package.json files, some 45 ms. A lookup is answered from here
 * only while nothing that decided it can have changed:
 *
 * - the packages installed in the project, known by npm's record of them (`node_modules/.package-lock.json`,
 *   which every `npm ci`, `install` and `uninstall` writes); without that record nothing is kept, and
 *   a lookup that leads into node_modules elsewhere is never kept;
 * - for a relative `require` from outside node_modules, the folders where the file was looked for and
 *   found (a file added, removed or renamed in a folder changes the folder's modification time), or,
 *   for a file named exactly (`../package.json`), that it is still there;
 * - for a package `require` from outside node_modules, the `node_modules` folders Node looks in before
 *   the one that has the package, which must still be missing.
 *
 * A file's content never changes where a `require` leads; the code cache judges content.
 */
const { existsSync, statSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const INSIDE_PACKAGES = `${path.sep}node_modules${path.sep}`;
/** What a record means; a record of another layout is not read. */
const LAYOUT = 1;

/** npm's record of what is installed under the project's node_modules, or undefined when there is none. */
function installedPackages(project) {
  try {
    const stat = statSync(path.join(project, 'node_modules', '.package-lock.json'));
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** A folder's modification time, or null for a folder that is not there. */
function folderTime(folder) {
  try {
    return statSync(folder).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Answers `require` lookups from `saved` (what an earlier run recorded) while it still holds, and
 * records every lookup it could not answer. Returns what to save at exit, and whether that differs.
 * @param project the kit's root, whose node_modules holds the packages
 * @param saved what `recorded()` returned in an earlier run, or undefined
 */
function startResolutionCache(project, saved) {
  const packages = installedPackages(project);
  if (packages === undefined) return { recorded: () => undefined, changed: () => false };

  const stillTrue =
    saved?.layout === LAYOUT &&
    saved.packages === packages &&
    Object.entries(saved.folders).every(([folder, time]) => folderTime(folder) === time) &&
    saved.files.every((file) => existsSync(file));
  const found = new Map(stillTrue ? Object.entries(saved.found) : []);
  const folders = new Map(stillTrue ? Object.entries(saved.folders) : []);
  const files = new Set(stillTrue ? saved.files : []);
  let lookedUp = 0;

  const watch = (folder) => {
    if (!folders.has(folder)) folders.set(folder, folderTime(folder));
  };
  const packagesFolder = `${path.join(project, 'node_modules')}${path.sep}`;
  const installed = (file) => file.startsWith(packagesFolder);
  const inPackages = (file) => file.includes(INSIDE_PACKAGES);

  /** Records what decides where `request` from `fromFolder` led; false when that is not known here (nothing is kept). */
  const decidedBy = (request, fromFolder, filename) => {
    // Inside the project's packages, npm's record decides; packages elsewhere are not watched.
    if (inPackages(`${fromFolder}${path.sep}`)) return installed(`${fromFolder}${path.sep}`) && installed(filename);
    if (request.startsWith('.') || path.isAbsolute(request)) {
      if (inPackages(filename)) return installed(filename);
      const target = path.resolve(fromFolder, request);
      // A file named exactly is Node's first try: only whether it is still there matters.
      if (filename === target) {
        files.add(filename);
        return true;
      }
      // A folder's package.json could name another file without the folder changing.
      if (filename.startsWith(`${target}${path.sep}`) && !path.basename(filename).startsWith('index.')) return false;
      watch(path.dirname(target));
      watch(path.dirname(filename));
      return true;
    }
    if (!installed(filename)) return false;
    const candidates = Module._nodeModulePaths(fromFolder);
    const holder = candidates.findIndex((folder) => filename.startsWith(`${folder}${path.sep}`));
    if (holder < 0) return false;
    for (const folder of candidates.slice(0, holder)) watch(folder);
    return true;
  };

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveFilenameOnce(request, parent, isMain, options) {
    if (isMain || options !== undefined || !parent?.filename || Module.isBuiltin(request)) {
      return resolveFilename.call(this, request, parent, isMain, options);
    }
    const fromFolder = path.dirname(parent.filename);
    const key = `${fromFolder}\0${request}`;
    const known = found.get(key);
    if (known !== undefined) return known;
    const filename = resolveFilename.call(this, request, parent, isMain, options);
    if (decidedBy(request, fromFolder, filename)) {
      found.set(key, filename);
      lookedUp += 1;
    }
    return filename;
  };

  return {
    recorded: () => ({ layout: LAYOUT, packages, folders: Object.fromEntries(folders), files: [...files], found: Object.fromEntries(found) }),
    changed: () => lookedUp > 0,
  };
}

module.exports = { startResolutionCache };
