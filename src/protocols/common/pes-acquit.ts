// What a PES Acquit says: accepted (EtatAck 1 on every element) or refused (2 on one, with the reasons
// its `Libelle…` elements give). Read the same for every protocol that brings acquits back.
import { attribute, childText, descendants, parseXml, type XmlNode } from './xml.js';

/**
 * EtatAck of the acquit's elements: 2 when any element was refused (with the reasons the acquit gives,
 * the `V` of its `Libelle…` elements), 1 when every one was accepted, undefined when none is readable.
 */
export function readAcquit(bytes: Buffer): { etatAck: '1' | '2' | undefined; reason: string | undefined } {
  const parsed = parseXml(bytes);
  if (parsed === undefined) return { etatAck: undefined, reason: undefined };
  const elements = descendants(parsed.node, 'ElementACQUIT');
  const states = elements.map((element) => ({ element, state: descendants(element, 'EtatAck').map((node) => attribute(node, 'V')?.trim())[0] }));
  const refused = states.filter(({ state }) => state === '2');
  if (refused.length > 0) {
    const reasons = refused.flatMap(({ element }) => libelles(element));
    return { etatAck: '2', reason: reasons.length === 0 ? undefined : [...new Set(reasons)].join(' ; ') };
  }
  if (states.length > 0 && states.every(({ state }) => state === '1')) return { etatAck: '1', reason: undefined };
  return { etatAck: undefined, reason: undefined };
}

function libelles(node: XmlNode): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'object' || item === null) continue;
      const child = item as XmlNode;
      const text = key.startsWith('Libelle') ? (attribute(child, 'V') ?? childText({ [key]: child }, key))?.trim() : undefined;
      if (text !== undefined && text !== '') found.push(text);
      found.push(...libelles(child));
    }
  }
  return found;
}
