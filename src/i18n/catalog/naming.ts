import type { Catalog } from '../index.js';

export const namingMessages: Catalog = {
  en: {},
  fr: {},
};
