// What the bare ssh2 clients of the benchmark share (bare-ssh2.mjs, bare-upload.mjs): a connection to the
// benchmark's server with ssh2 alone, and its requests as promises.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import ssh2 from 'ssh2';

/** An SFTP channel on the profile's server (host, port, username, privateKey, ciphers), and its client. */
export async function openBareSftp(profile) {
  const socket = connect({ host: profile.host, port: profile.port, noDelay: true });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const client = new ssh2.Client();
  await new Promise((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    // The benchmark's own throw-away server: its host key is not checked here.
    client.connect({ sock: socket, username: profile.username, privateKey: readFileSync(profile.privateKey), algorithms: { cipher: profile.ciphers } });
  });
  const sftp = await new Promise((resolve, reject) => client.sftp((error, channel) => (error ? reject(error) : resolve(channel))));
  return { client, sftp };
}

/** A request made with ssh2's callback API, as a promise of its answer. */
export function request(send) {
  return new Promise((resolve, reject) => send((error, value) => (error ? reject(error) : resolve(value))));
}
