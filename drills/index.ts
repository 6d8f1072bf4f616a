import type { DrillDefinition } from '../harness/runner/drill.js';
import { alertPipeline } from './alert-pipeline.js';
import { staleHotPath } from './stale-hot-path.js';
import { watchdogGuards } from './watchdog-guards.js';

/** Drills shipped with mountdrill; `mountdrill run` without names runs all of them. */
export const builtinDrills: DrillDefinition[] = [staleHotPath, alertPipeline, watchdogGuards];
