import type { Catalog } from '../index.js';

export const engineMessages: Catalog = {
  en: {},
  fr: {},
};
