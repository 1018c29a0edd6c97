// ssh2's crypto module (not part of its typed API): only whether its native module loaded is read.
declare module 'ssh2/lib/protocol/crypto.js' {
  const crypto: { bindingAvailable?: unknown };
  export default crypto;
}
