/** One line of /proc/<pid>/mountinfo (see proc(5)). */
export interface MountInfoEntry {
  mountId: number;
  parentId: number;
  /** `major:minor` of the file system; a bind mount shares it with its source mount. */
  device: string;
  /** Directory of the file system shown at the mount point (`/jobs/a` for a bind of a subdirectory). */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
}

/** Undoes the octal escapes (`\040` for a space) that the kernel writes in mountinfo paths. */
function unescapeMountPath(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountInfo(text: string): MountInfoEntry[] {
  const entries: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator === -1 || fields.length < separator + 3) {
      continue;
    }
    entries.push({
      mountId: Number(fields[0]),
      parentId: Number(fields[1]),
      device: fields[2]!,
      root: unescapeMountPath(fields[3]!),
      mountPoint: unescapeMountPath(fields[4]!),
      fsType: fields[separator + 1]!,
      source: unescapeMountPath(fields[separator + 2]!),
    });
  }
  return entries;
}

/** Returns the entry visible at a mount point: the last one mounted there. */
export function mountAt(entries: MountInfoEntry[], mountPoint: string): MountInfoEntry | undefined {
  return entries.filter((entry) => entry.mountPoint === mountPoint).at(-1);
}
