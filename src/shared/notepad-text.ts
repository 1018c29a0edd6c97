// Text files people open in Notepad (the logs, the reason beside a file set aside in failed/): CRLF line
// ends on Windows, where the Notepad of Windows Server 2016 and older shows an LF-only file as one line;
// LF elsewhere. ordo reads both back.

export function lineEnd(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? '\r\n' : '\n';
}

/** `text` with every line end (LF or CRLF) written the way of `platform`. */
export function notepadText(text: string, platform: NodeJS.Platform = process.platform): string {
  return text.replace(/\r?\n/g, lineEnd(platform));
}
