// "Before a PES leaves": checks that a file is a PES Aller the TdT (Pastell, S²LOW) can take, and
// what it says (NomFic, collectivité, budget, exercice, bordereaux), before anything is created at
// the partner. The file is streamed through a SAX parser (PES files reach 100+ MB): memory stays
// flat, and the whole file is read, since well-formedness is only known at its last byte.
// Its messages are the `pes.*` keys of src/i18n/catalog/pes.ts.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Params } from '../../i18n/index.js';
import { errorCode } from '../../shared/fs-errors.js';

export interface PesAllerOptions {
  /** The largest size the partner takes, in bytes (e.g. 128 MiB for Pastell's `fichier_pes`). */
  maxBytes?: number | undefined;
}

export type PesProblemKey =
  | 'pes.missing'
  | 'pes.notFile'
  | 'pes.unreadable'
  | 'pes.tooLarge'
  | 'pes.encoding'
  | 'pes.badBytes'
  | 'pes.notXml'
  | 'pes.notPesAller'
  | 'pes.noNomFic'
  | 'pes.noIdColl';

export interface PesProblem {
  /** A catalog key; `<key>.fix` says what to do. */
  key: PesProblemKey;
  params: Params;
  /** Where in the file, when the problem has a place (1-based line; column as the parser counts it). */
  line?: number;
  column?: number;
}

/** What the file says, as written (V attribute, else text content); absent when not found. */
export interface PesAllerFacts {
  /** Enveloppe/Parametres/NomFic: the logical file name. */
  nomFic?: string;
  /** Enveloppe/Parametres/TypFic: PESALR1, PESALR2. */
  typFic?: string;
  /** EnTetePES/IdColl: the collectivité's SIRET. */
  idColl?: string;
  /** EnTetePES/IdPost: the public accountant's post. */
  idPost?: string;
  /** EnTetePES/CodBud: the budget. */
  codBud?: string;
  /** EnTetePES/LibelleColBud: the collectivité and budget in words. */
  libelleColBud?: string;
  /** EnTetePES/DteStr: the date the file was made. */
  dteStr?: string;
  /** BlocBordereau/Exer of every bordereau, each value once, in order of appearance. */
  exercices: string[];
  /** Bordereau elements under PES_DepenseAller and PES_RecetteAller. */
  bordereaux: number;
}

export interface PesAllerCheck {
  path: string;
  /** Bytes; 0 when the file could not be read. */
  size: number;
  /** True when there is no problem: a well-formed PES_Aller with its NomFic and IdColl, within maxBytes. */
  valid: boolean;
  /** The root element's name as written (`PES_Aller`, `n:PES_Aller`…), once seen. */
  root?: string;
  /** The encoding the file was read with (declared, from its byte order mark, or UTF-8). */
  encoding?: string;
  found: PesAllerFacts;
  problems: PesProblem[];
}

const CHUNK = 64 * 1024;
/** The start of the file read to learn its encoding (BOM, XML declaration). */
const HEAD = 4096;
/** A fact longer than this is cut: the values shown are codes and names, never long text. */
const MAX_VALUE = 200;
/** Distinct exercices kept (a PES Aller normally has one). */
const MAX_EXERCICES = 20;
/** The deepest place read below the root (`PES_DepenseAller/Bordereau/BlocBordereau/Exer`). */
const MAX_DEPTH = 4;
const DEEPER = '…';

type Field = 'nomFic' | 'typFic' | 'idColl' | 'idPost' | 'codBud' | 'libelleColBud' | 'dteStr' | 'exer';

/** Local names (prefix dropped) below the root, to the fields they hold. */
const FIELDS: Record<string, Field> = {
  'Enveloppe/Parametres/NomFic': 'nomFic',
  'Enveloppe/Parametres/TypFic': 'typFic',
  'EnTetePES/IdColl': 'idColl',
  'EnTetePES/IdPost': 'idPost',
  'EnTetePES/CodBud': 'codBud',
  'EnTetePES/LibelleColBud': 'libelleColBud',
  'EnTetePES/DteStr': 'dteStr',
  'PES_DepenseAller/Bordereau/BlocBordereau/Exer': 'exer',
  'PES_RecetteAller/Bordereau/BlocBordereau/Exer': 'exer',
};
const BORDEREAUX = new Set(['PES_DepenseAller/Bordereau', 'PES_RecetteAller/Bordereau']);

/**
 * Checks one file: readable, within `maxBytes`, well-formed XML (the parser's first error, with its
 * line and column), root `PES_Aller`, `Enveloppe/Parametres/NomFic` and `EnTetePES/IdColl` present.
 * Never throws for what the file is or holds: every finding is a problem of the result.
 */
export async function checkPesAller(path: string, options: PesAllerOptions = {}): Promise<PesAllerCheck> {
  const result: PesAllerCheck = { path, size: 0, valid: false, found: { exercices: [], bordereaux: 0 }, problems: [] };
  try {
    const info = await stat(path);
    if (!info.isFile()) return finish(result, { key: 'pes.notFile', params: {} });
    result.size = info.size;
  } catch (error) {
    return finish(result, unreadable(path, error));
  }
  if (options.maxBytes !== undefined && result.size > options.maxBytes) {
    result.problems.push({ key: 'pes.tooLarge', params: { size: result.size, max: options.maxBytes } });
  }
  try {
    await parse(path, result);
  } catch (error) {
    result.problems.push(unreadable(path, error));
  }
  return finish(result);
}

function finish(result: PesAllerCheck, problem?: PesProblem): PesAllerCheck {
  if (problem !== undefined) result.problems.push(problem);
  result.valid = result.problems.length === 0;
  // Always in the same order, the file's own: envelope, header, bordereaux.
  const { nomFic, typFic, idColl, idPost, codBud, libelleColBud, dteStr, exercices, bordereaux } = result.found;
  const named = Object.entries({ nomFic, typFic, idColl, idPost, codBud, libelleColBud, dteStr }).filter(([, value]) => value !== undefined);
  result.found = { ...(Object.fromEntries(named) as Partial<PesAllerFacts>), exercices, bordereaux };
  return result;
}

function unreadable(path: string, error: unknown): PesProblem {
  const code = errorCode(error);
  if (code === 'ENOENT') return { key: 'pes.missing', params: {} };
  return { key: 'pes.unreadable', params: { reason: code ?? String((error as Error | undefined)?.message ?? error) } };
}

interface Walk {
  /** Where each open element below the root is: local names joined by `/` (DEEPER past MAX_DEPTH). */
  stack: string[];
  rootSeen: boolean;
  isPesAller: boolean;
  /** The field whose text content is being read (its element had no V attribute), and that text. */
  capturing: Field | undefined;
  captured: string;
  captureDepth: number;
}

async function parse(path: string, result: PesAllerCheck): Promise<void> {
  const head = await readHead(path);
  const encoding = detectEncoding(head);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding.label, { fatal: true });
  } catch {
    result.problems.push({ key: 'pes.encoding', params: { encoding: encoding.name } });
    return;
  }
  result.encoding = encoding.name;

  // Names as written: real files have a prefixed root (`n:PES_Aller`), so the checks compare local names.
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const walk: Walk = { stack: [], rootSeen: false, isPesAller: false, capturing: undefined, captured: '', captureDepth: 0 };
  let xmlError: PesProblem | undefined;
  parser.on('error', (error) => {
    // The first error is the one that counts: what follows it is the parser recovering.
    xmlError ??= notXml(parser.line, parser.column, error.message);
  });
  const onText = (text: string): void => {
    if (walk.captured.length < MAX_VALUE) walk.captured += text;
  };
  parser.on('opentag', (tag) => {
    // After an error the parser goes on to the end of the chunk: what it reads there is not told.
    if (xmlError !== undefined) return;
    openTag(tag, walk, result);
    // Text is collected only inside the one element being read: a large text node elsewhere (the
    // base64 of a PES_PJ) is never held.
    if (walk.capturing !== undefined) {
      parser.on('text', onText);
      parser.on('cdata', onText);
    }
  });
  parser.on('closetag', () => {
    if (xmlError !== undefined) return;
    if (walk.capturing !== undefined && walk.stack.length === walk.captureDepth) {
      store(result.found, walk.capturing, walk.captured);
      walk.capturing = undefined;
      walk.captured = '';
      parser.off('text');
      parser.off('cdata');
    }
    walk.stack.pop();
  });

  const stream = createReadStream(path, { highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(decode(decoder, chunk, true));
      if (xmlError !== undefined) break;
    }
    if (xmlError === undefined) parser.write(decode(decoder, undefined, false)).close();
  } catch (error) {
    if (!(error instanceof BadBytes)) throw error;
    xmlError = { key: 'pes.badBytes', params: { encoding: encoding.name, line: parser.line }, line: parser.line };
  } finally {
    stream.destroy();
  }

  if (walk.rootSeen && !walk.isPesAller) result.problems.push({ key: 'pes.notPesAller', params: { root: result.root ?? '' } });
  if (xmlError !== undefined) {
    result.problems.push(xmlError);
    // The file was not read to its end: what is missing may come later; only what was seen is told.
    return;
  }
  if (!walk.isPesAller) return;
  if (result.found.nomFic === undefined) result.problems.push({ key: 'pes.noNomFic', params: {} });
  if (result.found.idColl === undefined) result.problems.push({ key: 'pes.noIdColl', params: {} });
}

function openTag(tag: SaxesTagPlain, walk: Walk, result: PesAllerCheck): void {
  const local = localName(tag.name);
  if (!walk.rootSeen) {
    walk.rootSeen = true;
    walk.isPesAller = local === 'PES_Aller';
    result.root = cut(tag.name);
    return;
  }
  const parent = walk.stack.at(-1);
  // Below the deepest place read, every element is just "deeper": a deeply nested file costs no
  // more than one short string per level.
  const here = parent === undefined ? local : walk.stack.length >= MAX_DEPTH ? DEEPER : `${parent}/${local}`;
  walk.stack.push(here);
  if (!walk.isPesAller || walk.capturing !== undefined) return;
  if (BORDEREAUX.has(here)) result.found.bordereaux++;
  const field = FIELDS[here];
  if (field === undefined) return;
  const value = tag.attributes.V;
  if (value !== undefined) {
    store(result.found, field, value);
    return;
  }
  if (tag.isSelfClosing) return;
  walk.capturing = field;
  walk.captured = '';
  walk.captureDepth = walk.stack.length;
}

/** The first non-blank value of a field is kept (every distinct one for the exercice). */
function store(found: PesAllerFacts, field: Field, raw: string): void {
  const value = cut(raw.trim());
  if (value === '') return;
  if (field === 'exer') {
    if (!found.exercices.includes(value) && found.exercices.length < MAX_EXERCICES) found.exercices.push(value);
    return;
  }
  found[field] ??= value;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function cut(value: string): string {
  return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value;
}

/** saxes says `line:column: reason`; the place is given apart. */
function notXml(line: number, column: number, message: string): PesProblem {
  const prefix = `${line}:${column}: `;
  const reason = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return { key: 'pes.notXml', params: { line, column, reason }, line, column };
}

class BadBytes extends Error {}

function decode(decoder: TextDecoder, chunk: Buffer | undefined, more: boolean): string {
  try {
    return decoder.decode(chunk, { stream: more });
  } catch {
    throw new BadBytes();
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD);
    const { bytesRead } = await handle.read(buffer, 0, HEAD, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface Encoding {
  /** As the file names it (or UTF-8 / UTF-16 from the byte order mark). */
  name: string;
  /** The label TextDecoder knows it by. */
  label: string;
}

/**
 * The byte order mark wins; else the encoding of the XML declaration, read by the parser itself from
 * the head of the file (ASCII in every encoding a PES uses); else UTF-8, XML's default.
 */
function detectEncoding(head: Buffer): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { name: 'UTF-8', label: 'utf-8' };
  if (head[0] === 0xff && head[1] === 0xfe) return { name: 'UTF-16LE', label: 'utf-16le' };
  if (head[0] === 0xfe && head[1] === 0xff) return { name: 'UTF-16BE', label: 'utf-16be' };
  const declared = declaredEncoding(head);
  if (declared === undefined) return { name: 'UTF-8', label: 'utf-8' };
  return { name: declared, label: declared.toLowerCase() };
}

function declaredEncoding(head: Buffer): string | undefined {
  const parser = new SaxesParser({ position: false });
  const seen: { encoding?: string | undefined; done: boolean } = { done: false };
  parser.on('xmldecl', (decl) => {
    seen.encoding = decl.encoding;
    seen.done = true;
  });
  parser.on('opentag', () => {
    seen.done = true;
  });
  // What is wrong in the head is told by the real parse; here only the declaration matters.
  parser.on('error', () => {
    seen.done = true;
  });
  // Byte by byte to characters: the declaration is ASCII, whatever the encoding it names.
  const text = head.toString('latin1');
  for (let i = 0; i < text.length && !seen.done; i += 64) parser.write(text.slice(i, i + 64));
  return seen.encoding;
}
