import type { Catalog } from '../index.js';

export const configMessages: Catalog = {
  en: {},
  fr: {},
};
