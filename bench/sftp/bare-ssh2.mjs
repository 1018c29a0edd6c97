// The reference for ordo's small-file sends: a bare ssh2 client (no ordo code at all) sending every file
// of a folder with the very requests ordo's sftp protocol sends for a file that fits in one request —
// open a temporary file; write, fstat, close and a stat of the final name together; posix-rename —
// and reading each file the cheapest way, in one synchronous read. What ordo adds on top of this is
// ordo's own cost. Usage: node bare-ssh2.mjs <settings.json> <local folder>   (settings as for
// protocol-runner.mjs: profile with host, port, username, privateKey, ciphers; options.remoteDir)
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';

const [settingsFile, folder] = process.argv.slice(2);
const { profile, options } = JSON.parse(readFileSync(settingsFile, 'utf8'));
const socket = connect({ host: profile.host, port: profile.port, noDelay: true });
await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
const client = new ssh2.Client();
await new Promise((resolve, reject) => {
  client.once('ready', resolve).once('error', reject);
  // The benchmark's own throw-away server: its host key is not checked here.
  client.connect({ sock: socket, username: profile.username, privateKey: readFileSync(profile.privateKey), algorithms: { cipher: profile.ciphers } });
});
const sftp = await new Promise((resolve, reject) => client.sftp((error, channel) => (error ? reject(error) : resolve(channel))));
const request = (send) => new Promise((resolve, reject) => send((error, value) => (error ? reject(error) : resolve(value))));

for (const name of readdirSync(folder).sort()) {
  const data = readFileSync(join(folder, name));
  const final = `${options.remoteDir}/${name}`;
  const temp = `${options.remoteDir}/.${name}.${Math.random().toString(16).slice(2, 14)}.ordo-part`;
  const handle = await request((done) => sftp.open(temp, 'w', done));
  const [, stats, , taken] = await Promise.all([
    request((done) => sftp.write(handle, data, 0, data.length, 0, done)),
    request((done) => sftp.fstat(handle, done)),
    request((done) => sftp.close(handle, done)),
    request((done) => sftp.stat(final, done)).then(() => true, () => false),
  ]);
  if (stats.size !== data.length || taken) throw new Error(`${name}: size ${stats.size}, final name taken: ${taken}`);
  await request((done) => sftp.ext_openssh_rename(temp, final, done));
}
client.end();
