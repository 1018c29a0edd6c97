// The one way a value enters the HTML report: secrets masked, control and bidi characters made visible
// (as in the terminal), then the characters HTML gives a meaning to written as entities. Safe in text
// and in double- or single-quoted attribute values.
import { escapeControls } from '../../i18n/index.js';
import { redact } from '../../shared/redact.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string | number): string {
  return escapeControls(redact(String(value))).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
