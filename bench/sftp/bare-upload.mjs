// The least a Node.js program does to upload one big file with ssh2: open, then the file's bytes in
// order, in requests of ssh2's size for the server (31 952 bytes where the server announces no limits),
// 64 of them in flight, then close — no temporary name, no check, no rename. What ssh2 itself costs, to
// set ordo's protocol beside in bench/sftp/servers.mjs (the same cipher, the same server).
// Usage: node bare-upload.mjs <settings.json> <local file> <remote path>
import { openSync, readFileSync, readSync, fstatSync, closeSync } from 'node:fs';
import { openBareSftp, request } from './bare-client.mjs';

const IN_FLIGHT = 64;
const [settingsFile, localPath, remotePath] = process.argv.slice(2);
const { profile } = JSON.parse(readFileSync(settingsFile, 'utf8'));
const { client, sftp } = await openBareSftp(profile);

const chunk = sftp._maxWriteLen;
const fd = openSync(localPath, 'r');
const size = fstatSync(fd).size;
const handle = await request((done) => sftp.open(remotePath, 'w', done));
let offset = 0;
let failed;
await new Promise((resolve) => {
  let inFlight = 0;
  const next = () => {
    while (failed === undefined && inFlight < IN_FLIGHT && offset < size) {
      const data = Buffer.allocUnsafe(Math.min(chunk, size - offset));
      const read = readSync(fd, data, 0, data.length, offset);
      const at = offset;
      offset += read;
      inFlight += 1;
      sftp.write(handle, data, 0, read, at, (error) => {
        inFlight -= 1;
        failed ??= error ?? undefined;
        if (inFlight === 0 && (offset >= size || failed !== undefined)) resolve();
        else next();
      });
    }
    if (inFlight === 0) resolve();
  };
  next();
});
closeSync(fd);
await request((done) => sftp.close(handle, done));
client.end();
if (failed !== undefined) throw failed;
