// A command line people can copy and paste as printed: each argument quoted for the shell of the
// platform ordo runs on (cmd.exe on Windows, a POSIX shell elsewhere), only when it needs quoting.

const PLAIN = /^[A-Za-z0-9_@%+=:,./\\-]+$/;

export function copyableCommand(args: readonly string[], platform: NodeJS.Platform = process.platform): string {
  return args.map((arg) => quoteArgument(arg, platform)).join(' ');
}

export function quoteArgument(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (arg !== '' && PLAIN.test(arg)) return arg;
  // cmd.exe: a double quote cannot appear in a file name, and a trailing backslash would escape the closing quote.
  if (platform === 'win32') return `"${arg.replace(/"/g, '""').replace(/(\\+)$/, '$1$1')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
