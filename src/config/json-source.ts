// JSON configuration with places: jsonc-parser (VS Code's JSON reader) gives every syntax error and
// every key its offset, so problems name `file:line:column` whatever Node's JSON.parse message says.
// The values themselves are still JSON.parse's, so that what loads is exactly standard JSON.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { t } from '../i18n/index.js';
import { checkTree } from './limits.js';
import type { KeyLocator, KeyPath, ProblemList } from './problems.js';
import { TextPlaces } from './text-places.js';

export function parseJsonSource(text: string, file: string, locator: KeyLocator, problems: ProblemList): unknown {
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch {
    reportSyntax(text, file, problems);
    return undefined;
  }
  // Deeper than a configuration ever is: refused by ./limits.ts before anything walks it, this included.
  if (!checkTree(tree).ok) return tree;
  const root = parseTree(text, [], STRICT);
  if (root !== undefined) registerKeys(root, [], file, new TextPlaces(text), locator);
  return tree;
}

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/** Where JSON.parse failed, placed by jsonc-parser (V8's message differs between Node versions and quotes the file). */
function reportSyntax(text: string, file: string, problems: ProblemList): void {
  const errors: ParseError[] = [];
  try {
    parseTree(text, errors, STRICT);
  } catch {
    // A syntax error in a file nested deeper than the stack: said without its place.
  }
  const first = errors[0];
  const reason = t(first === undefined ? 'config.json.InvalidSymbol' : `config.json.${printParseErrorCode(first.error)}`);
  if (first === undefined) {
    problems.add({ path: [], at: { file, writtenKey: '' }, message: 'config.file.syntax', fix: 'config.file.syntax.fix', params: { syntax: 'JSON', reason } });
    return;
  }
  const place = new TextPlaces(text).at(first.offset);
  problems.add({ path: [], at: { file, ...place, writtenKey: '' }, message: 'config.file.syntaxAt', fix: 'config.file.syntax.fix', params: { syntax: 'JSON', reason, ...place } });
}

function registerKeys(node: Node, path: KeyPath, file: string, places: TextPlaces, locator: KeyLocator): void {
  if (node.type === 'object') {
    for (const property of node.children ?? []) {
      const [name, value] = property.children ?? [];
      if (name === undefined || typeof name.value !== 'string') continue;
      const child = [...path, name.value];
      locator.set(child, { file, ...places.at(name.offset) });
      if (value !== undefined) registerKeys(value, child, file, places, locator);
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((item, index) => {
      const child = [...path, index];
      locator.set(child, { file, ...places.at(item.offset) });
      registerKeys(item, child, file, places, locator);
    });
  }
}
