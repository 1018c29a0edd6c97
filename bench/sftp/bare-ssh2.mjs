// The reference for ordo's small-file sends: a bare ssh2 client (no ordo code at all) sending every file
// of a folder with the very requests ordo's sftp protocol sends for files that fit in one request —
// write, fstat, close and a stat of the final name together; posix-rename together with the open of
// the next file's temporary file — and reading each file the cheapest way, in one synchronous read.
// What ordo adds on top of this is ordo's own cost. Usage: node bare-ssh2.mjs <settings.json> <local folder>   (settings as for
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

const temporary = (name) => `${options.remoteDir}/.${name}.${Math.random().toString(16).slice(2, 14)}.ordo-part`;
const openTemporary = (name) => {
  const path = temporary(name);
  return { path, handle: request((done) => sftp.open(path, 'w', done)) };
};
const names = readdirSync(folder).sort();
let opened = names.length > 0 ? openTemporary(names[0]) : undefined;
for (const [index, name] of names.entries()) {
  const data = readFileSync(join(folder, name));
  const final = `${options.remoteDir}/${name}`;
  const temp = opened.path;
  const handle = await opened.handle;
  const [, stats, , taken] = await Promise.all([
    request((done) => sftp.write(handle, data, 0, data.length, 0, done)),
    request((done) => sftp.fstat(handle, done)),
    request((done) => sftp.close(handle, done)),
    request((done) => sftp.stat(final, done)).then(() => true, () => false),
  ]);
  if (stats.size !== data.length || taken) throw new Error(`${name}: size ${stats.size}, final name taken: ${taken}`);
  const renamed = request((done) => sftp.ext_openssh_rename(temp, final, done));
  opened = index + 1 < names.length ? openTemporary(names[index + 1]) : undefined;
  await renamed;
}
client.end();
