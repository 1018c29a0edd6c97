// Fixes are explicit: every fix key the source names exists in both languages, and every TransferError
// whose message has advice in the catalog (`<key>.fix`) names that advice where it is raised, so that
// a fix can neither point nowhere nor go silently unused.
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { catalogKeys } from '../../../src/i18n/index.js';
// The protocols' messages join the catalog with the registry.
import '../../../src/protocols/registry.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const KEY_SHAPE = /^[a-z]\w*(\.\w+)+$/;

const catalog = { en: new Set(catalogKeys().en), fr: new Set(catalogKeys().fr) };

const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .map((file) => file.split(sep).join('/'))
  // The catalogs themselves (src/i18n/catalog/, each protocol's messages.ts) define the keys, they do not name them.
  .filter((file) => file.endsWith('.ts') && !file.startsWith('i18n/catalog/') && !/^protocols\/[^/]+\/messages\.ts$/.test(file))
  .map((file) => ts.createSourceFile(file, readFileSync(join(SRC, file), 'utf8'), ts.ScriptTarget.Latest, true));

function* descendants(node: ts.Node): Generator<ts.Node> {
  yield node;
  for (const child of node.getChildren()) yield* descendants(child);
}

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  return `src/${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}

function literalText(node: ts.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/** `${base}.fix`: the fix key computed from a message key; its base expression. */
function fixTemplateBase(node: ts.Node): ts.Expression | undefined {
  if (!ts.isTemplateExpression(node) || node.head.text !== '' || node.templateSpans.length !== 1) return undefined;
  const [span] = node.templateSpans;
  return span!.literal.text === '.fix' ? span!.expression : undefined;
}

/** What an expression can be: itself, or for a local constant, the initializer of its nearest declaration in scope. */
function resolve(expression: ts.Expression): ts.Expression | undefined {
  if (!ts.isIdentifier(expression)) return expression;
  let scope: ts.Node = expression;
  do {
    scope = scope.parent;
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isCaseClause(scope)) continue;
    const declarations = scope.statements
      .filter((statement): statement is ts.VariableStatement => statement.getStart() < expression.getStart() && ts.isVariableStatement(statement))
      .flatMap((statement) => statement.declarationList.declarations)
      .filter((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === expression.text);
    const initializer = declarations.at(-1)?.initializer;
    if (initializer !== undefined) return initializer;
  } while (!ts.isSourceFile(scope));
  return undefined;
}

/** The catalog keys an expression may hold, read from its string literals; none when that cannot be told (a parameter, a field). */
function possibleKeys(expression: ts.Expression): string[] {
  const resolved = resolve(expression);
  if (resolved === undefined) return [];
  return [...descendants(resolved)].map(literalText).filter((text): text is string => text !== undefined && KEY_SHAPE.test(text));
}

/** Every fix key an expression names: its key-shaped literals, and the keys `${base}.fix` stands for when base can be told. */
function fixKeysIn(expression: ts.Expression): Array<{ key: string; node: ts.Node }> {
  const resolved = resolve(expression) ?? expression;
  return [...descendants(resolved)].flatMap((node) => {
    const text = literalText(node);
    if (text !== undefined) return KEY_SHAPE.test(text) ? [{ key: text, node }] : [];
    const base = fixTemplateBase(node);
    return base === undefined ? [] : possibleKeys(base).map((key) => ({ key: `${key}.fix`, node }));
  });
}

function fixProperties(): ts.Expression[] {
  const named = (name: ts.PropertyName): boolean => ts.isIdentifier(name) && (name.text === 'fix' || name.text === 'fixKey');
  return sources.flatMap((file) =>
    [...descendants(file)].flatMap((node) => {
      if (ts.isPropertyAssignment(node) && named(node.name)) return [node.initializer];
      if (ts.isShorthandPropertyAssignment(node) && named(node.name)) return [node.name];
      return [];
    }),
  );
}

function transferErrorSites(): ts.NewExpression[] {
  return sources.flatMap((file) =>
    [...descendants(file)].filter((node): node is ts.NewExpression => ts.isNewExpression(node) && node.expression.getText() === 'TransferError'),
  );
}

describe('fix keys', () => {
  it('every fix key named in the source exists in English and in French', () => {
    const named = [
      ...fixProperties().flatMap(fixKeysIn),
      ...sources.flatMap((file) =>
        [...descendants(file)].flatMap((node) => {
          const text = literalText(node);
          return text !== undefined && text.endsWith('.fix') ? [{ key: text, node }] : [];
        }),
      ),
    ];
    expect(named.length).toBeGreaterThan(100);
    const missing = named.filter(({ key }) => !catalog.en.has(key) || !catalog.fr.has(key)).map(({ key, node }) => `${where(node)} ${key}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every TransferError whose message has a fix in the catalog names it where it is raised', () => {
    const sites = transferErrorSites();
    expect(sites.length).toBeGreaterThan(50);
    const unnamed = sites.flatMap((site) => {
      const [, key, , options] = site.arguments ?? [];
      const withFix = (key === undefined ? [] : possibleKeys(key)).filter((k) => catalog.en.has(`${k}.fix`));
      if (withFix.length === 0) return [];
      const fixKey = options !== undefined && ts.isObjectLiteralExpression(options)
        ? options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'fixKey')?.initializer
        : undefined;
      if (fixKey !== undefined && fixTemplateBase(fixKey)?.getText() === key!.getText()) return [];
      const named = new Set(fixKey === undefined ? [] : fixKeysIn(fixKey).map((f) => f.key));
      return withFix.filter((k) => !named.has(`${k}.fix`)).map((k) => `${where(site)} ${k}.fix`);
    });
    expect(unnamed).toEqual([]);
  });
});
