// The placeholders of the help and of usage errors (`[options]`, `<file...>`, `--config <path>`) are
// commander's names, in English; a French reader gets them in French (`<fichier...>`, `<chemin>`).
// They are only shown: the command line itself is parsed by position, whatever the names say.
import { Help, type Argument, type Command, type Option } from 'commander';
import { term, translateTerms } from '../i18n/terms.js';

/** For commander's configureHelp: the same help, its placeholders translated. */
export const translatedHelpTerms = {
  commandUsage(this: Help, command: Command): string {
    return translateTerms(Help.prototype.commandUsage.call(this, command));
  },
  subcommandTerm(this: Help, command: Command): string {
    return translateTerms(Help.prototype.subcommandTerm.call(this, command));
  },
  optionTerm(this: Help, option: Option): string {
    return translateTerms(Help.prototype.optionTerm.call(this, option));
  },
  argumentTerm(this: Help, argument: Argument): string {
    return term(Help.prototype.argumentTerm.call(this, argument));
  },
};
