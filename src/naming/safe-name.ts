// Local file names for anything a server or a user announces (docs/naming.md, "Safe local names").
// Whatever the input, the result is one plain, non-empty file name that stays inside its folder on
// Windows, macOS and Linux alike.
import { fitName, MAX_NAME_BYTES, splitExtension, utf8Length } from './name-parts.js';

/** What an empty name (or one made only of dots, spaces, separators…) becomes. */
export const FALLBACK_NAME = 'fichier';

/** Unpaired UTF-16 halves: they cannot be written to a file system as they are. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** C0 and C1 controls, DEL, the byte-order mark, and the bidirectional overrides that make `gpj.exe` look like `exe.jpg`. */
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\uFEFF\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** `/`, `\` and the look-alikes that some legacy Windows code pages turn back into them. */
const SEPARATORS = /[/\\\uFF0F\uFF3C\u2215\u29F5\uFE68]/;
/** Characters Windows refuses in names (`:` also covers drive letters and NTFS streams), and their full-width forms. */
const FORBIDDEN = /[<>:"|?*\uFF1C\uFF1E\uFF1A\uFF02\uFF5C\uFF1F\uFF0A]/g;
/** Device names of Windows, reserved whatever the extension (`CON.txt`, `nul.tar.gz`). */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00B9\u00B2\u00B3]|lpt[0-9\u00B9\u00B2\u00B3])$/i;

export function safeLocalName(name: string): string {
  let text = name.replace(LONE_SURROGATE, '_').replace(INVISIBLE, '').normalize('NFC');
  text = joinPathComponents(text);
  text = text.replace(FORBIDDEN, '_');
  text = trimEnds(text);
  text = avoidLeadingDash(text);
  text = avoidReservedName(text);
  text = trimEnds(shorten(text));
  return text === '' ? FALLBACK_NAME : text;
}

/** `a/b\c` → `a_b_c`; empty, `.` and `..` components are dropped, so `../../etc/passwd` → `etc_passwd`. */
function joinPathComponents(text: string): string {
  return text
    .split(SEPARATORS)
    .filter((part) => part !== '' && part !== '.' && part !== '..')
    .join('_');
}

/** No leading dots or spaces (hidden files, and ordo's own partial files), no trailing ones (Windows drops them). */
function trimEnds(text: string): string {
  return text.replace(/^[. ]+/, '').replace(/[. ]+$/, '');
}

/** `-rf` → `_-rf`: a script that passes the name to another command must not hand it an option. */
function avoidLeadingDash(text: string): string {
  return text.startsWith('-') ? `_${text}` : text;
}

function avoidReservedName(text: string): string {
  const device = (text.split('.')[0] ?? '').trimEnd();
  return RESERVED.test(device) ? `_${text}` : text;
}

function shorten(text: string): string {
  if (utf8Length(text) <= MAX_NAME_BYTES) return text;
  const { stem, ext } = splitExtension(text);
  return fitName(stem, '', ext);
}
