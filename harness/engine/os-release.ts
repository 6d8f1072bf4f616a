/** The fields of /etc/os-release that provisioning decides on. */
export interface OsRelease {
  id: string;
  idLike: string[];
  versionCodename: string | undefined;
}

/** Parses os-release(5) text: KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) {
      continue;
    }
    const [, key, rawValue] = match;
    fields.set(key!, rawValue!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return {
    id: fields.get('ID') ?? '',
    idLike: (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    versionCodename: fields.get('VERSION_CODENAME'),
  };
}

/** Returns whether the host can install Debian's docker.io and debootstrap with apt. */
export function isDebianFamily(release: OsRelease): boolean {
  return ['debian', 'ubuntu'].includes(release.id) || release.idLike.some((id) => id === 'debian' || id === 'ubuntu');
}
