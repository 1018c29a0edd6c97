// Reading the gateway's HTML pages, exactly as the wire format fixes them (docs/protocols/xfb.md):
// the title says success or refusal, `<P class="reason">` says why, and the listing has one
// `<LI><A HREF="<path>/<NAME>?local_ident=<N>">NAME</A> <SPAN class="state">B|E</SPAN> [<SPAN class="size">BYTES</SPAN>]</LI>`
// per file. A line that does not fit is never guessed at: it is left out and reported.
import { decodeEntities, ownWords } from '../web/answers.js';

export const SUCCESS_TITLE = 'File received correctly';

export interface ListedFile {
  name: string;
  localIdent: string;
  state: 'B' | 'E';
  size: number | undefined;
}

export function pageTitle(html: string): string | undefined {
  const match = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  return match === null ? undefined : decodeEntities(match[1] ?? '').replace(/\s+/g, ' ').trim();
}

/** The gateway's own words: the refusal's reason, else whatever the page says. */
export function gatewayWords(html: string): string {
  const reason = /<p\s+class\s*=\s*"reason"\s*>([\s\S]*?)<\/p\s*>/i.exec(html);
  return ownWords(reason?.[1] ?? html);
}

const ITEM = /<li\b[^>]*>([\s\S]*?)<\/li\s*>/gi;
const ENTRY = /^<a\s+href\s*=\s*"([^"]*)"\s*>([^<]*)<\/a\s*>\s*<span\s+class\s*=\s*"state"\s*>([BE])<\/span\s*>(?:\s*<span\s+class\s*=\s*"size"\s*>(\d{1,15})<\/span\s*>)?$/i;

/**
 * Every file of a listing page. `basePath` is the path of the profile's URL: each link must be
 * `<basePath>/<NAME>?local_ident=<N>` with NAME the link's text, percent-encoded as one segment.
 * `skipped`: the lines that do not fit (a link elsewhere, a name that is not its link's…), in the
 * page's words. `unexpected`: no line has the listing's format although there are some — not this gateway's listing.
 */
export function listedFiles(html: string, basePath: string): { files: ListedFile[]; skipped: string[]; unexpected?: string } {
  const files: ListedFile[] = [];
  const skipped: string[] = [];
  let wellFormed = 0;
  for (const item of html.matchAll(ITEM)) {
    const line = (item[1] ?? '').trim();
    const entry = ENTRY.exec(line);
    if (entry !== null) wellFormed++;
    const file = entry === null ? undefined : fileOf(entry, basePath);
    if (file === undefined) skipped.push(lineWords(line, entry));
    else files.push(file);
  }
  // A hostile entry in the gateway's own format is skipped like any other; a page none of whose
  // lines has that format is something else (a login page, a proxy's), and not read as a listing.
  const [first] = skipped;
  if (wellFormed === 0 && first !== undefined) return { files, skipped, unexpected: first };
  return { files, skipped };
}

/** A skipped line as shown: its link and its text, else whatever the line says. */
function lineWords(line: string, entry: RegExpExecArray | null): string {
  if (entry !== null) return `${decodeEntities(entry[2] ?? '')} → ${decodeEntities(entry[1] ?? '')}`;
  return ownWords(line) || '<LI>';
}

function fileOf(entry: RegExpExecArray, basePath: string): ListedFile | undefined {
  const href = decodeEntities(entry[1] ?? '');
  const name = decodeEntities(entry[2] ?? '');
  const prefix = `${basePath}/`;
  const query = href.indexOf('?');
  if (!href.startsWith(prefix) || query < 0) return undefined;
  const segment = href.slice(prefix.length, query);
  const localIdent = /^local_ident=(\d+)$/.exec(href.slice(query + 1))?.[1];
  if (localIdent === undefined || segment.includes('/') || decodeSegment(segment) !== name || name === '') return undefined;
  return { name, localIdent, state: entry[3]?.toUpperCase() === 'E' ? 'E' : 'B', size: entry[4] === undefined ? undefined : Number(entry[4]) };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
