// The gateway's addresses, as fixed by the wire format (docs/protocols/xfb.md): credentials always
// travel as URL-encoded `user` / `password` query parameters — and only in the request itself.
import type { XfbSettings } from './settings.js';

/** `POST <url>?user=U&password=P` */
export function uploadAddress(settings: XfbSettings): URL {
  return withQuery(settings.url, [['user', settings.user], ['password', settings.password]]);
}

/** `GET <url>?user=U&password=P&list=1` */
export function listAddress(settings: XfbSettings): URL {
  return withQuery(settings.url, [['user', settings.user], ['password', settings.password], ['list', '1']]);
}

/** `GET <url>/<NAME>?local_ident=N&user=U&password=P` — NAME as one encoded path segment, whatever it holds. */
export function downloadAddress(settings: XfbSettings, name: string, localIdent: string): URL {
  const url = new URL(settings.url.href);
  url.pathname = `${settings.url.pathname}/${encodeURIComponent(name)}`;
  return withQuery(url, [['local_ident', localIdent], ['user', settings.user], ['password', settings.password]]);
}

/** The identifier of a listed file: its path and `local_ident`, as the listing gives them. */
export function entryId(settings: XfbSettings, name: string, localIdent: string): string {
  return `${settings.url.pathname}/${encodeURIComponent(name)}?local_ident=${localIdent}`;
}

export function localIdentOf(id: string): string | undefined {
  return /\?local_ident=(\d+)$/.exec(id)?.[1];
}

function withQuery(base: URL, parameters: Array<[string, string]>): URL {
  const url = new URL(base.href);
  url.search = new URLSearchParams(parameters).toString();
  return url;
}
