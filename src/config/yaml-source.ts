// YAML configuration with places: the `yaml` package keeps each node's offset (js-yaml keeps none), so
// syntax errors and schema problems name `file:line:column`. Data only: the YAML 1.2 core schema with
// `<<` merge keys, no custom tags. Aliases are not copied (both uses of `*name` are one object), so
// ./limits.ts measures a "billion laughs" in the time of its text.
import type { Document, Node as YamlNode } from 'yaml';
import { t } from '../i18n/index.js';
import { checkTree, MAX_CONFIG_DEPTH } from './limits.js';
import type { KeyLocator, KeyPath, ProblemList } from './problems.js';
import { TextPlaces } from './text-places.js';

export async function parseYamlSource(text: string, file: string, locator: KeyLocator, problems: ProblemList): Promise<unknown> {
  // Loaded only for YAML files: INI and JSON sites do not pay for it at start-up. Through its default
  // export (the package's CommonJS exports): the one a bundle of this code also gives.
  const { default: yaml } = await import('yaml');
  const places = new TextPlaces(text);
  let document: Document;
  try {
    document = yaml.parseDocument(text, { prettyErrors: false, merge: true, uniqueKeys: true, version: '1.2' });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reportTooDeep(file, problems);
    return undefined;
  }
  const first = document.errors[0];
  if (first !== undefined) {
    // The error's own message can quote the file (an alias name, a value): only its code is shown.
    const place = places.at(first.pos[0]);
    const known = t(`config.yaml.${first.code}`) !== `config.yaml.${first.code}`;
    problems.add({
      path: [],
      at: { file, ...place, writtenKey: '' },
      message: 'config.file.syntaxAt',
      fix: 'config.file.syntax.fix',
      params: { syntax: 'YAML', reason: t(known ? `config.yaml.${first.code}` : 'config.yaml.other'), ...place },
    });
    return undefined;
  }
  let tree: unknown;
  try {
    // A file of comments only is a configuration with nothing in it.
    tree = document.toJS({ maxAliasCount: -1 }) ?? {};
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reportTooDeep(file, problems);
    return undefined;
  }
  // Too deep or too large: refused by ./limits.ts before anything walks it, this included.
  if (checkTree(tree).ok) registerKeys(yaml, document.contents, [], file, places, locator);
  return tree;
}

/** Nested deeper than the parser's stack: far beyond the depth ./limits.ts allows. */
function reportTooDeep(file: string, problems: ProblemList): void {
  problems.add({ path: [], at: { file, writtenKey: '' }, message: 'config.file.tooDeep', fix: 'config.file.tooDeep.fix', params: { file, max: MAX_CONFIG_DEPTH } });
}

type Yaml = typeof import('yaml');

function registerKeys(yaml: Yaml, node: Document['contents'] | YamlNode | null, path: KeyPath, file: string, places: TextPlaces, locator: KeyLocator): void {
  if (yaml.isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (!yaml.isScalar(key) || key.range === undefined || key.range === null) continue;
      if (key.value === '<<') continue;
      const child = [...path, String(key.value)];
      locator.set(child, { file, ...places.at(key.range[0]) });
      if (yaml.isNode(pair.value)) registerKeys(yaml, pair.value, child, file, places, locator);
    }
  } else if (yaml.isSeq(node)) {
    node.items.forEach((item, index) => {
      const child = [...path, index];
      if (yaml.isNode(item) && item.range) {
        locator.set(child, { file, ...places.at(item.range[0]) });
        registerKeys(yaml, item, child, file, places, locator);
      }
    });
  }
}
