// Whether ssh2 encrypts with its native module or with its JavaScript code. ssh2 builds the module when
// it is installed, for the Node.js it is installed with and only where a compiler is found (rarely on
// Windows); the single executable never has it. Without it a big transfer takes more processor time, and
// diagnose says which one this installation has.
import sshCrypto from 'ssh2/lib/protocol/crypto.js';

/** True: ssh2's native module; false: its JavaScript code; undefined: this ssh2 does not say. */
export function sshNativeCrypto(): boolean | undefined {
  const available = sshCrypto.bindingAvailable;
  return typeof available === 'boolean' ? available : undefined;
}
