import type { DrillDefinition } from '../harness/runner/drill.js';
import { alertPipeline } from './alert-pipeline.js';
import { partitionHang, serverPauseDrill } from './hung-mount.js';
import { multiPathDrill } from './multi-path.js';
import { partitionKeepaliveDrill } from './partition-keepalive.js';
import { serverRestartDrill, serverRestartReconnectDrill } from './server-restart.js';
import { slowLinkDrill } from './slow-link.js';
import { staleBinds } from './stale-binds.js';
import { staleHotPath } from './stale-hot-path.js';
import { vanishedMount } from './vanished-mount.js';
import { watchdogGuards } from './watchdog-guards.js';

/** Drills shipped with mountdrill; `mountdrill run` without names runs all of them. */
export const builtinDrills: DrillDefinition[] = [
  staleHotPath,
  vanishedMount,
  staleBinds,
  partitionHang,
  partitionKeepaliveDrill,
  serverPauseDrill,
  serverRestartDrill,
  serverRestartReconnectDrill,
  multiPathDrill,
  slowLinkDrill,
  alertPipeline,
  watchdogGuards,
];
