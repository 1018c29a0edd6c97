// French typography for the French catalog, applied to each template when it is first used: a no-break space
// (U+00A0) before `:`, `;`, `?` and `!`, and inside « ». Only a plain space written before the sign is
// replaced: a sign glued to what precedes it is code or data (`enabled: false`, `{"RCT": …}`,
// `https://`, `12:30`, `C:\`), never prose, and is left alone.
const NBSP = '\u00a0';

export function frenchTypography(template: string): string {
  return template
    .replace(/ +([:;?!])(?=\s|$|[)\]»"'.,])/g, `${NBSP}$1`)
    .replace(/« +/g, `«${NBSP}`)
    .replace(/ +»/g, `${NBSP}»`);
}

/** The places where `text` breaks the rule (a plain space before a sign or inside « »), for the tests. */
export function typographyFaults(text: string): string[] {
  return [...text.matchAll(/ [:;?!](?=\s|$|[)\]»"'.,])|« | »/g)].map((m) => text.slice(Math.max(0, m.index - 20), m.index + 3));
}
