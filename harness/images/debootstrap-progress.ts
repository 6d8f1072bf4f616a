export type DebootstrapPhase = 'resolving' | 'retrieving' | 'validating' | 'extracting' | 'installing' | 'unpacking' | 'configuring';

/** Maps a line of debootstrap output to the phase it reports, if any. */
export function debootstrapPhase(line: string): DebootstrapPhase | undefined {
  const match = /^I: (Resolving|Retrieving|Validating|Extracting|Installing|Unpacking|Configuring)\b/.exec(line);
  if (!match) {
    return undefined;
  }
  return match[1]!.toLowerCase() as DebootstrapPhase;
}
