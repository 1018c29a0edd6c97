// The reference for ordo's small-file sends: a bare ssh2 client (no ordo code at all) sending every file
// of a folder with the very requests ordo's sftp protocol sends for files that fit in one request —
// write, fstat, close and a stat of the final name together; posix-rename together with the open of
// the next file's temporary file — and reading each file the cheapest way, in one synchronous read.
// What ordo adds on top of this is ordo's own cost. Usage: node bare-ssh2.mjs <settings.json> <local folder>   (settings as for
// protocol-runner.mjs: profile with host, port, username, privateKey, ciphers; options.remoteDir)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBareSftp, request } from './bare-client.mjs';

const [settingsFile, folder] = process.argv.slice(2);
const { profile, options } = JSON.parse(readFileSync(settingsFile, 'utf8'));
const { client, sftp } = await openBareSftp(profile);

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
