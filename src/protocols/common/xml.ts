// Small XML documents read whole with fast-xml-parser: partners' answers (S²LOW's), PES Acquits. Decoded
// as their declaration says (S²LOW declares ISO-8859-1; UTF-8 otherwise), character references resolved,
// texts kept exactly (a PES Retour's name may begin with a space). Namespace prefixes are dropped
// (`n:EtatAck` is `EtatAck`). Large files (a PES Aller) are streamed instead: pes-aller.ts.
import { XMLParser } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: false,
  processEntities: true,
  removeNSPrefix: true,
  // Numeric character references (&#233;, &#x301;) are what an ISO-8859-1 document writes beyond Latin-1;
  // fast-xml-parser 5 resolves them with this flag (its replacement, `entityDecoder`, would mean
  // depending on its internal @nodable/entities package directly).
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  htmlEntities: true,
});

/** The document's root name and content, or undefined when the bytes are not well-formed XML. */
export function parseXml(bytes: Buffer): { root: string; node: XmlNode } | undefined {
  // Latin-1 first: every byte is a character, and the declaration is ASCII whatever the encoding.
  const first = read(new TextDecoder('latin1').decode(bytes));
  if (first === undefined) return undefined;
  const declared = text((first['?xml'] as XmlNode | undefined)?.['@_encoding'])?.toLowerCase();
  const latin = declared !== undefined && ['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252', 'us-ascii'].includes(declared);
  const document = latin ? first : read(new TextDecoder('utf-8').decode(bytes));
  if (document === undefined) return undefined;
  const roots = Object.keys(document).filter((key) => key !== '?xml' && key !== '#text');
  const [root] = roots;
  if (root === undefined || roots.length !== 1) return undefined;
  const node: unknown = document[root];
  return { root, node: isNode(node) ? node : { '#text': node } };
}

function read(source: string): XmlNode | undefined {
  let parsed: unknown;
  try {
    parsed = parser.parse(source);
  } catch {
    // Not well-formed: no answer of S²LOW's.
    return undefined;
  }
  return isNode(parsed) ? parsed : undefined;
}

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A child element's text (an empty element is ''), or undefined when absent or not text. */
export function childText(node: XmlNode, name: string): string | undefined {
  const value = node[name];
  if (Array.isArray(value)) return childText({ [name]: value[0] as unknown }, name);
  if (isNode(value)) return text(value['#text']) ?? (Object.keys(value).length === 0 ? '' : undefined);
  return text(value);
}

/** Every child element of that name, as nodes (a text-only element becomes `{ '#text': … }`). */
export function children(node: XmlNode, name: string): XmlNode[] {
  const value: unknown = node[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item: unknown) => (isNode(item) ? item : { '#text': item }));
}

/** Every element of that name anywhere below `node`, depth first. */
export function descendants(node: XmlNode, name: string): XmlNode[] {
  const found: XmlNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    for (const item of (Array.isArray(value) ? value : [value]) as unknown[]) {
      if (!isNode(item)) {
        if (key === name) found.push({ '#text': item });
        continue;
      }
      if (key === name) found.push(item);
      found.push(...descendants(item, name));
    }
  }
  return found;
}

export function attribute(node: XmlNode, name: string): string | undefined {
  return text(node[`@_${name}`]);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
