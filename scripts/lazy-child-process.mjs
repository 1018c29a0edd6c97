// An esbuild plugin for both bundles: commander loads `node:child_process` when it loads, for executable
// subcommands ordo does not have; loading it (with `net` and the stream machinery behind it) is ~5 ms of
// every start, `--version` included. Commander's copy is replaced by one that loads it on first `spawn`.
export const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, ({ importer }) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "exports.spawn = (...args) => require('node:child_process').spawn(...args);",
      loader: 'js',
    }));
  },
};
