/** A process from `ps -eo pid=,args=` output. */
export interface ProcessEntry {
  pid: number;
  args: string;
}

export function parsePsOutput(output: string): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match) {
      entries.push({ pid: Number(match[1]), args: match[2]!.trim() });
    }
  }
  return entries;
}

/**
 * Returns the sshfs processes serving a mount point: the program is sshfs and the mount point
 * is one of its arguments. The ssh child of sshfs has `ssh` as its program and is not matched.
 */
export function sshfsProcessesFor(entries: ProcessEntry[], mountPoint: string): ProcessEntry[] {
  const trimmed = mountPoint.replace(/\/+$/, '');
  return entries.filter((entry) => {
    const argv = entry.args.split(/\s+/);
    const program = argv[0]?.split('/').at(-1);
    return program === 'sshfs' && argv.slice(1).some((argument) => argument.replace(/\/+$/, '') === trimmed);
  });
}

/**
 * Returns the ssh processes that carry an SFTP session to a server: the program is ssh, the
 * destination names the server's address and the last argument is the `sftp` subsystem.
 */
export function sshTransportsTo(entries: ProcessEntry[], serverAddress: string): ProcessEntry[] {
  return entries.filter((entry) => {
    const argv = entry.args.split(/\s+/);
    const program = argv[0]?.split('/').at(-1);
    return program === 'ssh' && argv.at(-1) === 'sftp' && argv.some((argument) => argument.endsWith(`@${serverAddress}`));
  });
}
