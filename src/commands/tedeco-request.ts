// ordo tedeco-request <file>: part of the public interface, but the `tedeco` protocol is not in this
// version. Say so plainly (exit 3) rather than pretend to have written a request.
import { ExitCode, OrdoError } from '../core/errors.js';
import type { CommandContext } from './context.js';

export async function run(_ctx: CommandContext, input: { file: string }): Promise<number> {
  throw new OrdoError('cli.tedeco.unavailable', { file: input.file }, ExitCode.config, { fix: 'cli.tedeco.unavailable.fix' });
}
