'use strict';
// Preloaded (`node --require`) into the jsii kernel by constructs_lib/fast_kernel.py.
//
// Loading the AWS provider's assembly makes the kernel require ~2,200 JavaScript files, and compiling them is
// most of that time (every synth of every cdktf project pays it). V8 can serialize the code it compiled and
// take it back on the next start instead of compiling again. Node 22's own compile cache keys entries by file
// name, and the kernel links packages into a new temporary folder on every start, so it would never hit; this
// file does it, on every Node version, for the files of jsii's package cache only: those are immutable (each package lives in a folder named after the checksum
// of its tarball), so the real path of a file names its content. V8 rejects an entry made by another V8
// version or flags, or for a source of another length; a rejected entry is compiled as usual and written anew.
//
// Only plain CommonJS files go through the cache; anything else (ES modules, a hashbang, a compile error) is
// left to Node's own loader, as is every file when the cache folder is not private to this user (the entries
// are code the kernel runs: like jsii's own package cache, the folder must be the user's and not writable by
// others). Differences from Node's own compile, none of which changes what the kernel computes: stack traces
// of cached files point 62 columns right on their first line (the CommonJS wrapper); a dynamic import() from
// one prints Node's experimental-API warning; `--experimental-policy` integrity checks do not see them.
const Module = require('module');
const fs = require('fs');
const path = require('path');

const cacheRoot = process.env.ECS_CDKTF_CODE_CACHE_DIR;
const stats = { hits: 0, misses: 0, rejected: 0 };
const STALE_MS = 30 * 24 * 3600 * 1000; // another Node version's entries, unused this long, are removed
const TEMP_STALE_MS = 3600 * 1000; // a partial entry of a kernel killed while writing it

function jsiiPackageCacheRoot() {
  const configured = process.env.JSII_RUNTIME_PACKAGE_CACHE_ROOT;
  if (configured) return configured;
  const home = require('os').homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'com.amazonaws.jsii', 'package-cache');
  if (process.platform === 'win32') {
    return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'AWS', 'jsii', 'package-cache');
  }
  return path.join(home, '.cache', 'aws', 'jsii', 'package-cache');
}

function sha1(text) {
  return require('crypto').createHash('sha1').update(text).digest('hex');
}

function privateDirectory(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return true;
  const stat = fs.statSync(dir);
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

function writeAtomically(file, data, tempDir) {
  const partial = path.join(tempDir, `${path.basename(file)}.${process.pid}.${require('crypto').randomBytes(6).toString('hex')}`);
  try {
    fs.writeFileSync(partial, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(partial, file);
  } catch {
    fs.rmSync(partial, { force: true });
  }
}

function removeQuietly(target) {
  try { fs.rmSync(target, { recursive: true, force: true }); } catch { /* another synth got there first */ }
}

// Entries live in one folder per package (per real package root, named in its `root` file), so a package that
// left jsii's cache (an upgrade, jsii's own expiry) takes its entries with it on the next start.
function prune(versionDir, tempDir) {
  const now = Date.now();
  for (const other of fs.readdirSync(cacheRoot)) {
    const otherDir = path.join(cacheRoot, other);
    try {
      if (otherDir !== versionDir && other.startsWith('node-') && now - fs.statSync(otherDir).mtimeMs > STALE_MS) {
        removeQuietly(otherDir);
      }
    } catch { /* another synth pruned it */ }
  }
  for (const group of fs.readdirSync(versionDir)) {
    const groupDir = path.join(versionDir, group);
    if (groupDir === tempDir) continue;
    let root;
    try { root = fs.readFileSync(path.join(groupDir, 'root'), 'utf8'); } catch { continue; }
    if (root && !fs.existsSync(root)) removeQuietly(groupDir);
  }
  for (const partial of fs.readdirSync(tempDir)) {
    const file = path.join(tempDir, partial);
    try {
      if (now - fs.statSync(file).mtimeMs > TEMP_STALE_MS) fs.rmSync(file, { force: true });
    } catch { /* gone already */ }
  }
}

function install() {
  const packageCache = fs.realpathSync.native(jsiiPackageCacheRoot()) + path.sep;
  const versionDir = path.join(cacheRoot, `node-${process.version}-${process.arch}-v8-${process.versions.v8}`);
  const tempDir = path.join(versionDir, 'tmp');
  if (!privateDirectory(cacheRoot) || !privateDirectory(versionDir) || !privateDirectory(tempDir)) return;
  const now = new Date();
  fs.utimesSync(versionDir, now, now);
  prune(versionDir, tempDir);

  const vm = require('vm');
  const importModuleDynamically = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const realRoots = new Map();

  // The kernel links each package into a temporary node_modules: resolve each package root once.
  function realPackageFile(filename) {
    const marker = `${path.sep}node_modules${path.sep}`;
    const at = filename.lastIndexOf(marker);
    if (at < 0) return undefined;
    const rest = filename.slice(at + marker.length).split(path.sep);
    const nameLength = rest[0].startsWith('@') ? 2 : 1;
    const linkedRoot = filename.slice(0, at + marker.length) + rest.slice(0, nameLength).join(path.sep);
    if (!realRoots.has(linkedRoot)) {
      let real;
      try { real = fs.realpathSync.native(linkedRoot); } catch { real = undefined; }
      realRoots.set(linkedRoot, real && real.startsWith(packageCache) ? real : undefined);
    }
    const realRoot = realRoots.get(linkedRoot);
    return realRoot && { realRoot, relative: rest.slice(nameLength).join('/') };
  }

  function entryFile(realRoot, relative) {
    const groupDir = path.join(versionDir, sha1(realRoot).slice(0, 16));
    if (!fs.existsSync(path.join(groupDir, 'root'))) {
      fs.mkdirSync(groupDir, { recursive: true, mode: 0o700 });
      writeAtomically(path.join(groupDir, 'root'), realRoot, tempDir);
    }
    return path.join(groupDir, sha1(relative));
  }

  function cachedCompile(content, filename) {
    const located = realPackageFile(filename);
    if (!located || content.startsWith('#!')) return undefined;
    const file = entryFile(located.realRoot, located.relative);
    let cachedData;
    try { cachedData = fs.readFileSync(file); } catch { cachedData = undefined; }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically });
    if (cachedData !== undefined && !script.cachedDataRejected) {
      stats.hits += 1;
    } else {
      stats[cachedData === undefined ? 'misses' : 'rejected'] += 1;
      writeAtomically(file, script.createCachedData(), tempDir);
    }
    return script;
  }

  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, format) {
    let script;
    try {
      script = format === undefined || format === 'commonjs' ? cachedCompile(content, filename) : undefined;
    } catch {
      script = undefined;
    }
    if (script === undefined) return compile.apply(this, arguments);
    const module = this;
    const moduleRequire = (id) => module.require(id);
    moduleRequire.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    moduleRequire.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
    moduleRequire.main = process.mainModule;
    moduleRequire.extensions = Module._extensions;
    moduleRequire.cache = Module._cache;
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(module.exports, module.exports, moduleRequire, module, filename, path.dirname(filename));
  };

  // For tests: how many files came from the cache.
  if (process.env.ECS_CDKTF_CODE_CACHE_STATS) {
    process.on('exit', () => fs.writeFileSync(process.env.ECS_CDKTF_CODE_CACHE_STATS, JSON.stringify(stats)));
  }
}

// jsii's launcher (bin/jsii-runtime.js) runs the kernel (lib/program.js) as its child; both get this file, only
// the kernel loads packages.
const isKernel = path.basename(process.argv[1] || '') === 'program.js';

if (cacheRoot && isKernel && typeof Module.prototype._compile === 'function') {
  try {
    install();
  } catch {
    // No cache (an unwritable folder, say): the kernel compiles as it always does.
  }
}
