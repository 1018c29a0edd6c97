// The shapes of the message catalogs, apart so that each catalog file can name them without importing the catalog.
export type Lang = 'fr' | 'en';
export type Params = Record<string, string | number | undefined>;
export interface Catalog {
  en: Record<string, string>;
  fr: Record<string, string>;
}
