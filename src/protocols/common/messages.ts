// Messages of the protocol layer itself, shared by every protocol: `protocol.common.*` (what any
// retrieval or send may report) and `protocol.setting.*` (the generic complaints about a protocol's keys).
// Data only: src/protocols/registry.ts adds it to the catalog (src/i18n) when it is loaded.
import type { Catalog } from '../../i18n/types.js';

export const commonMessages: Catalog = {
  en: {
    'protocol.common.badName': '“{name}” is not a plain file name (no folder separator, no “.” or “..”, no control character)',
    'protocol.common.grew': '{name} grew during the download ({actual} bytes instead of {expected}): it is probably still being written and will be fetched again',
    'protocol.common.localWrite': 'could not write the download into {path} on this machine ({code})',
    'protocol.common.localWrite.fix': 'Free some space (or fix the disk) where ordo keeps received files; the file stays at the partner meanwhile.',
    'protocol.common.skipped.link': 'a symbolic link (only plain files are fetched)',
    'protocol.common.skipped.folder': 'a folder (only plain files are fetched)',
    'protocol.common.skipped.notFile': 'not a plain file (only plain files are fetched)',
    'protocol.common.skipped.badName': 'its name holds a folder separator or a control character',
    'protocol.common.sourceChanged': '{name} no longer matches what was queued ({actual} bytes read, {expected} expected, or different content): not sent',
    'protocol.common.truncated': 'only {actual} of the {expected} bytes of {name} arrived: it will be fetched again',
    'protocol.common.unsupported': 'the {protocol} protocol cannot {capability}',
    'protocol.setting.required': '{key} is required',
    'protocol.setting.unknown': '{key} is not a key of this protocol',
    'protocol.setting.unknown.suggest': 'Did you mean {suggestion}? Accepted keys here: {accepted}.',
    'protocol.setting.unknown.accepted': 'Accepted keys here: {accepted}.',
    'protocol.setting.unknown.none': 'No key is accepted here: remove it.',
  },
  fr: {
    'protocol.common.badName': '« {name} » n’est pas un simple nom de fichier (ni séparateur de dossier, ni « . » ou « .. », ni caractère de contrôle)',
    'protocol.common.grew': '{name} a grossi pendant le téléchargement ({actual} octets au lieu de {expected}) : il est sans doute encore en cours d’écriture et sera récupéré à nouveau',
    'protocol.common.localWrite': 'impossible d’écrire le téléchargement dans {path} sur cette machine ({code})',
    'protocol.common.localWrite.fix': 'Libérez de la place (ou réparez le disque) là où ordo range les fichiers reçus ; le fichier reste chez le partenaire en attendant.',
    'protocol.common.skipped.link': 'un lien symbolique (seuls les fichiers ordinaires sont récupérés)',
    'protocol.common.skipped.folder': 'un dossier (seuls les fichiers ordinaires sont récupérés)',
    'protocol.common.skipped.notFile': 'pas un fichier ordinaire (seuls les fichiers ordinaires sont récupérés)',
    'protocol.common.skipped.badName': 'son nom contient un séparateur de dossier ou un caractère de contrôle',
    'protocol.common.sourceChanged': '{name} ne correspond plus à ce qui a été mis en file d’attente ({actual} octets lus, {expected} attendus, ou contenu différent) : non envoyé',
    'protocol.common.truncated': 'seuls {actual} des {expected} octets de {name} sont arrivés : il sera récupéré à nouveau',
    'protocol.common.unsupported': 'le protocole {protocol} ne permet pas de faire ceci : {capability}',
    'protocol.setting.required': '{key} est obligatoire',
    'protocol.setting.unknown': '{key} n’est pas un paramètre de ce protocole',
    'protocol.setting.unknown.suggest': 'Vouliez-vous dire {suggestion} ? Paramètres acceptés à cet endroit : {accepted}.',
    'protocol.setting.unknown.accepted': 'Paramètres acceptés à cet endroit : {accepted}.',
    'protocol.setting.unknown.none': 'Aucun paramètre n’est accepté à cet endroit : supprimez-le.',
  },
};
