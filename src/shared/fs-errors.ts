// The system error codes ordo's file-system steps decide on, in one place.

/** The filesystem refuses hard links (FAT, exFAT, some SMB mounts): do it another way. */
const NO_LINK_CODES = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

export function isAlreadyThere(error: unknown): boolean {
  return errorCode(error) === 'EEXIST';
}

export function linkUnsupported(error: unknown): boolean {
  return NO_LINK_CODES.has(errorCode(error) ?? '');
}
