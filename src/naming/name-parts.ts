// Splitting a file name into stem and extension, and fitting names into the file-system limit.

/** Longest name most file systems accept: 255 bytes on ext4/APFS, 255 UTF-16 units on NTFS (never more bytes in UTF-8). */
export const MAX_NAME_BYTES = 255;

/** A trailing `.xyz` longer than this is not treated as an extension when a name must be shortened. */
const MAX_KEPT_EXTENSION_BYTES = 32;

export interface NameParts {
  /** The name without its extension (`archive.tar` for `archive.tar.gz`). */
  stem: string;
  /** The last extension with its dot (`.gz`), or '' when there is none; a leading dot is not an extension. */
  ext: string;
}

export function splitExtension(name: string): NameParts {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * `stem + suffix + ext` within MAX_NAME_BYTES: the stem is shortened (on whole characters, so that an
 * accent or an emoji is never cut in half); the suffix and a reasonable extension are always kept.
 */
export function fitName(stem: string, suffix: string, ext: string): string {
  let kept = ext;
  let base = stem;
  if (utf8Length(kept) > MAX_KEPT_EXTENSION_BYTES) {
    base = stem + ext;
    kept = '';
  }
  const budget = MAX_NAME_BYTES - utf8Length(suffix) - utf8Length(kept);
  return truncateToBytes(base, budget) + suffix + kept;
}

/**
 * The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, cut between graphemes; only a
 * first grapheme longer than the whole budget (hundreds of combining marks) is cut between code points.
 */
export function truncateToBytes(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let result = '';
  let used = 0;
  for (const { segment } of graphemesOf(text)) {
    const size = utf8Length(segment);
    if (used + size > maxBytes) return result === '' ? truncateCodePoints(segment, maxBytes) : result;
    result += segment;
    used += size;
  }
  return result;
}

function truncateCodePoints(text: string, maxBytes: number): string {
  let result = '';
  for (const char of text) {
    if (utf8Length(result + char) > maxBytes) break;
    result += char;
  }
  return result;
}

// Made when first needed: building a segmenter loads ICU's break rules (~25 ms), and most runs never cut a name.
let graphemeSegmenter: Intl.Segmenter | undefined;
function graphemesOf(text: string): Intl.Segments {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemeSegmenter.segment(text);
}
