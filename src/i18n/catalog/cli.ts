import type { Catalog } from '../index.js';

export const cliMessages: Catalog = {
  en: {},
  fr: {},
};
