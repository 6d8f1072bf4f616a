/**
 * Returns the names that `ls -l` shows with unknown metadata (`d?????????` or `??????????`),
 * which is how ls prints an entry whose stat failed, such as a stale FUSE mount point.
 */
export function entriesWithUnknownMetadata(lsOutput: string): string[] {
  const names: string[] = [];
  for (const line of lsOutput.split('\n')) {
    const match = /^[d?-]\?{9}\s+(?:\?\s+){5}(.+)$/.exec(line.trim());
    if (match) {
      names.push(match[1]!);
    }
  }
  return names;
}
