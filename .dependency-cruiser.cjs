// Data flows one way: cli → commands → core → protocols/naming/config → shared/i18n (the ground floor).
// `npm run check:deps` fails on a cycle or on an import against that flow.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Modules that import each other cannot be understood, tested or loaded one at a time.', from: {}, to: { circular: true } },
    { name: 'ground-floor', severity: 'error', comment: 'shared/ and i18n/ are the ground floor: they import nothing above them.', from: { path: '^src/(shared|i18n)/' }, to: { path: '^src/(?!shared/|i18n/)' } },
    { name: 'i18n-alone', severity: 'error', comment: 'Messages import nothing but messages.', from: { path: '^src/i18n/' }, to: { path: '^src/(?!i18n/)' } },
    { name: 'libraries-below-core', severity: 'error', comment: 'protocols, naming and config are libraries of the core: they never reach up into it.', from: { path: '^src/(protocols|naming|config)/' }, to: { path: '^src/(core|commands|output|cli\\.ts)' } },
    { name: 'core-below-commands', severity: 'error', comment: 'The core returns results; commands and output present them.', from: { path: '^src/core/' }, to: { path: '^src/(commands|output|cli\\.ts)' } },
    { name: 'output-below-commands', severity: 'error', comment: 'Output renders what commands hand it.', from: { path: '^src/output/' }, to: { path: '^src/(commands|cli\\.ts)' } },
    { name: 'protocols-apart', severity: 'error', comment: 'A protocol uses the contract and the shared helpers beside it (protocols/common), never another protocol\'s folder.', from: { path: '^src/protocols/([^/]+)/' , pathNot: '^src/protocols/(common|web)/' }, to: { path: '^src/protocols/([^/]+)/', pathNot: ['^src/protocols/(common|web)/', '^src/protocols/$1/'] } },
    { name: 'no-test-code-in-src', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|fixtures|bench)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
