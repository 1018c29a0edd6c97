import type { Catalog } from '../index.js';

export const protocolMessages: Catalog = {
  en: {},
  fr: {},
};
