// What an `ordo` process loads, module by module: a loader hook records every file the process loads,
// and each file of the bundle (dist/bundle, made by scripts/bundle.mjs) stands for the modules it holds
// (dist/bundle/inputs.json), so that tests speak of `dist/config/load.js`, not of a chunk's hashed name.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { baseEnv, ORDO } from './cli.js';

const repository = join(ORDO, '..', '..');
const bundleUrl = pathToFileURL(join(repository, 'dist', 'bundle')).href;

/** The URLs of the modules `ordo args` loaded in `cwd` (it must exit 0): node:…, file:…/dist/…, file:…/node_modules/…. */
export function modulesLoaded(args: string[], cwd: string): string[] {
  const trace = join(cwd, 'modules.txt');
  writeFileSync(join(cwd, 'hooks.mjs'), [
    "import { appendFileSync } from 'node:fs';",
    'export async function load(url, context, next) {',
    '  appendFileSync(process.env.ORDO_TRACE, url + "\\n");',
    '  return next(url, context);',
    '}',
  ].join('\n'));
  writeFileSync(join(cwd, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(cwd, 'register.mjs')).href, ORDO, ...args], {
    cwd,
    env: baseEnv({ ORDO_TRACE: trace }),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const inputs = JSON.parse(readFileSync(join(repository, 'dist', 'bundle', 'inputs.json'), 'utf8')) as Record<string, string[]>;
  return readFileSync(trace, 'utf8')
    .trim()
    .split('\n')
    .flatMap((url) => {
      if (!url.startsWith(`${bundleUrl}/`)) return [url];
      const held = inputs[url.slice(bundleUrl.length + 1)];
      if (held === undefined) throw new Error(`${url} is not in dist/bundle/inputs.json: the bundle is stale`);
      // `<define:ORDO_BUILD>`, `lazy-child-process:child_process`: what the bundler wrote in, not a module.
      return held.filter((input) => !/^(<|[a-z-]+:)/.test(input)).map((input) => pathToFileURL(join(repository, input)).href);
    });
}
