import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execChecked, writeFilesInContainer } from '../engine/exec.js';
import { installUnits, unitFile } from '../topology/service-manager.js';
import { shellCommand } from '../topology/shell-quote.js';
import type { DrillContext } from './context.js';

/** Units that run the system's detector in the client, like a systemd timer on a production host. */
export const detectorUnits = { service: 'mountdrill-detector.service', timer: 'mountdrill-detector.timer' };

/** Copies the system's files and manifest into the client, unchanged. */
export async function installSystem(context: DrillContext): Promise<void> {
  const { profile, topology } = context;
  await writeFilesInContainer(topology.client.id, [
    { path: profile.manifest.installPath, content: profile.manifestText, mode: 0o644 },
    ...profile.files.map((file) => ({
      path: file.target,
      content: readFileSync(path.resolve(profile.directory, file.source)),
      mode: file.mode,
    })),
  ]);
  await execChecked(topology.client.id, ['mkdir', '-p', profile.detector.textfileDirectory], 'creating the textfile directory');
}

/** Installs the system's unit files and starts the ones the profile lists. */
export async function startSystemServices(context: DrillContext): Promise<void> {
  const services = context.profile.services;
  if (!services) {
    return;
  }
  await installUnits(
    context.topology.client.id,
    services.units.map((unit) => ({ name: path.basename(unit), content: readFileSync(path.resolve(context.profile.directory, unit), 'utf8') })),
  );
  for (const unit of services.start) {
    await execChecked(context.topology.client.id, ['systemctl', 'start', unit], `starting ${unit}`);
  }
}

/** Runs the detector every `intervalSeconds` through a timer unit of the client's service manager. */
export async function scheduleDetector(context: DrillContext): Promise<void> {
  const { detector } = context.profile;
  await installUnits(context.topology.client.id, [
    {
      name: detectorUnits.service,
      content: unitFile({ Unit: { Description: `detector of ${context.profile.name}` }, Service: { Type: 'oneshot', ExecStart: shellCommand(detector.command).replaceAll('%', '%%') } }),
    },
    {
      name: detectorUnits.timer,
      content: unitFile({ Unit: { Description: `runs ${detectorUnits.service} every ${detector.intervalSeconds} s` }, Timer: { OnActiveSec: '0', OnUnitActiveSec: `${detector.intervalSeconds}s` } }),
    },
  ]);
  await execChecked(context.topology.client.id, ['systemctl', 'start', detectorUnits.timer], `starting ${detectorUnits.timer}`);
}
