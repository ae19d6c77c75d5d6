'use strict';
// Preloaded (`node --require`) into the jsii kernel by constructs_lib/fast_kernel.py.
//
// Loading the AWS provider's assembly makes the kernel require ~2,200 JavaScript files, and compiling them is
// most of that time (every synth of every cdktf project pays it). V8 can serialize the code it compiled and
// take it back on the next start instead of compiling again; Node 22 does this itself (module.enableCompileCache),
// Node 20 does not, so this file does it for the files of jsii's package cache only: those are immutable (each
// package lives in a folder named after the checksum of its tarball), so the real path of a file names its
// content. V8 checks each cached entry against the source and the engine's version and flags, and rejects it
// on any mismatch, in which case the file is compiled as usual and its entry written anew. Nothing here may
// change behaviour: on any error the file is compiled the usual way.
const Module = require('module');
const fs = require('fs');
const path = require('path');

const cacheRoot = process.env.ECS_CDKTF_CODE_CACHE_DIR;
const stats = { hits: 0, misses: 0, rejected: 0 };

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

// Entries live in one folder per package (per real package root), so a package that left jsii's cache (an
// upgrade, jsii's own expiry) takes its entries with it on the next start.
function pruneGone(versionDir) {
  for (const group of fs.readdirSync(versionDir)) {
    const groupDir = path.join(versionDir, group);
    let root;
    try { root = fs.readFileSync(path.join(groupDir, 'root'), 'utf8'); } catch { root = undefined; }
    if (root === undefined || !fs.existsSync(root)) fs.rmSync(groupDir, { recursive: true, force: true });
  }
}

function install() {
  const packageCache = fs.realpathSync.native(jsiiPackageCacheRoot()) + path.sep;
  const versionDir = path.join(cacheRoot, `node-${process.version}-${process.arch}-v8-${process.versions.v8}`);
  fs.mkdirSync(versionDir, { recursive: true });
  pruneGone(versionDir);
  const realRoots = new Map();

  // The kernel links each package into a temporary node_modules: resolve the package root once.
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
      fs.mkdirSync(groupDir, { recursive: true });
      fs.writeFileSync(path.join(groupDir, 'root'), realRoot);
    }
    return path.join(groupDir, sha1(relative));
  }

  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    let file;
    let cachedData;
    try {
      const located = realPackageFile(filename);
      if (located) {
        file = entryFile(located.realRoot, located.relative);
        try { cachedData = fs.readFileSync(file); } catch { cachedData = undefined; }
      }
    } catch {
      file = undefined;
    }
    if (file === undefined) return compile.call(this, content, filename);

    const script = new (require('vm').Script)(Module.wrap(content), { filename, cachedData });
    if (cachedData !== undefined && !script.cachedDataRejected) {
      stats.hits += 1;
    } else {
      stats[cachedData === undefined ? 'misses' : 'rejected'] += 1;
      const partial = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, file);
      } catch {
        fs.rmSync(partial, { force: true });
      }
    }
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
