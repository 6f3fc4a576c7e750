'use strict';
/**
 * A V8 code cache for the CommonJS modules a kit command loads (cdktf, cdk8s, zod, yaml, the kit's
 * own files...), kept per command in `node_modules/.cache/govstack-kit-code/`. Node 20 compiles
 * every module again on every start, and compiles each function again the first time it runs; a
 * synthesis spent about a sixth of its time there. The cache is written when the process exits,
 * after the command ran, so it holds the functions the command actually called, not only each
 * module's top level (which is all a cache made at load time, like v8-compile-cache's, can hold).
 *
 * A module's cached code is used only for the same file at the same version: the transpile key for
 * the kit's TypeScript (typescript-hook.cjs), the inode, size, modification and change times for any
 * other file; V8 itself refuses code made by another Node, V8 or set of flags. The cache is written
 * again only when some module was compiled without it, or some `require` was looked up again (the
 * file also keeps where each `require` led: resolution-cache.cjs). Deleting the folder is always safe.
 *
 * Only for the kit's own scripts; off with Node's own source maps or the inspector (both need Node's
 * own module compilation), and in worker threads, which load other modules than their command.
 */
const { readFileSync, statSync } = require('node:fs');
const { createHash } = require('node:crypto');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');
const { isMainThread } = require('node:worker_threads');
const { startResolutionCache } = require('./resolution-cache.cjs');
const { writeInPlace } = require('./write-in-place.cjs');

const PROJECT = path.resolve(__dirname, '..', '..');
/** `GOVSTACK_CODE_CACHE_DIR` moves it (the specs do, to a scratch folder). */
const CACHE = process.env.GOVSTACK_CODE_CACHE_DIR || path.join(PROJECT, 'node_modules', '.cache', 'govstack-kit-code');

/**
 * For the kit's own scripts: a file elsewhere (a spec's probe, a scratch script) would leave a cache
 * file behind for every place it ran from, unless `GOVSTACK_CODE_CACHE_DIR` gives it a folder. Node's
 * own module compilation is kept where something else depends on it.
 */
function codeCacheApplies({ script = process.argv[1], env = process.env, execArgv = process.execArgv, mainThread = isMainThread } = {}) {
  const resolved = script ? path.resolve(script) : '';
  const kitScript = resolved.startsWith(`${PROJECT}${path.sep}`) && !resolved.includes(`${path.sep}node_modules${path.sep}`);
  const flags = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  // Before Node 20.12 a module compiled this way could not `import()`.
  const importsWork = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER !== undefined;
  return mainThread && importsWork && (kitScript || !!env.GOVSTACK_CODE_CACHE_DIR) && !flags.some((flag) => /^--(enable-source-maps|inspect)/.test(flag));
}

/** One file per command (`main.ts synth`, `main.ts --help`, `bench.ts`...) and Node build: each loads its own modules. */
function cacheFile() {
  const command = createHash('sha256').update(`${process.argv[1] ?? ''}\0${process.argv[2] ?? ''}`).digest('hex').slice(0, 16);
  return path.join(CACHE, `${process.version}-${process.arch}-${command}.bin`);
}

/**
 * The file: a 4-byte length, a JSON header (each module's `[key, byte length]`, and where each
 * `require` led: resolution-cache.cjs), then each module's code one after another.
 */
function readCache(file) {
  const code = new Map();
  let buffer;
  try {
    buffer = readFileSync(file);
  } catch {
    return { code, resolutions: undefined };
  }
  try {
    const headerLength = buffer.readUInt32LE(0);
    let offset = 4 + headerLength;
    const { modules, resolutions } = JSON.parse(buffer.toString('utf8', 4, offset));
    for (const [key, length] of modules) {
      code.set(key, buffer.subarray(offset, offset + length));
      offset += length;
    }
    return { code, resolutions };
  } catch {
    // A file cut short or from another layout: compile as if there were none, and write it again.
    return { code: new Map(), resolutions: undefined };
  }
}

function writeCache(file, scripts, resolutions) {
  const modules = [];
  const parts = [];
  for (const [key, script] of scripts) {
    const data = script.createCachedData();
    modules.push([key, data.length]);
    parts.push(data);
  }
  const header = Buffer.from(JSON.stringify({ modules, resolutions }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  writeInPlace(file, Buffer.concat([length, header, ...parts]));
}

/** A module's `require`, as Node makes it. */
function requireFor(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/**
 * Compiles modules through the code cache from now on.
 * @param versionOf a file's version where the caller knows it better than its inode, size and times (the kit's TypeScript)
 */
function startCodeCache(versionOf) {
  if (!codeCacheApplies()) return;
  const file = cacheFile();
  const { code: cached, resolutions } = readCache(file);
  const lookups = startResolutionCache(PROJECT, resolutions);
  const scripts = new Map();
  let compiledWithout = 0;

  Module.prototype._compile = function compileWithCodeCache(content, filename) {
    let version = versionOf(filename);
    if (version === undefined) {
      // The change time too: a write always sets it, and nothing but the kernel can set it back.
      const stat = statSync(filename);
      version = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
    }
    const key = `${filename}\0${version}`;
    // A shebang is allowed only where a script starts; the line stays, so line numbers do not move.
    const source = Module.wrap(content.startsWith('#!') ? `//${content}` : content);
    const script = new vm.Script(source, {
      filename,
      cachedData: cached.get(key),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (!cached.has(key) || script.cachedDataRejected) compiledWithout += 1;
    scripts.set(key, script);
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    if (compiledWithout === 0 && !lookups.changed()) return;
    try {
      writeCache(file, scripts, lookups.recorded());
    } catch {
      // A cache that cannot be written (a read-only checkout) only means compiling again next time.
    }
  });
}

module.exports = { codeCacheApplies, startCodeCache };
