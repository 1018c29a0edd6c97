// `ordo send -`: the paths to send come from stdin, one a line (CRLF from Windows tools too).
import { UsageError } from '../shared/errors.js';

export async function readPathsFromStdin(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string[]> {
  // Never wait for someone to type: `-` is for pipes and redirections.
  if (stdin.isTTY === true) throw new UsageError('cli.send.stdinIsTerminal', {}, 'cli.send.stdinIsTerminal.fix');
  let text = '';
  stdin.setEncoding('utf8');
  for await (const chunk of stdin) text += String(chunk);
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The files given on the command line, with `-` replaced by the paths read from stdin. */
export async function expandFileArguments(files: string[], stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string[]> {
  if (!files.includes('-')) return files;
  const piped = await readPathsFromStdin(stdin);
  return files.flatMap((file) => (file === '-' ? piped : [file]));
}
