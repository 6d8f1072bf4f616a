import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SystemProfile } from '../config/system-profile.js';
import { prepareAlertmanagerConfig, type RedirectedReceiver } from './alertmanager-config.js';
import { scaleRuleFile } from './time-scale.js';

/** Port of the notification sink inside the monitoring container. */
export const sinkPort = 9099;
export const prometheusPort = 9090;
export const alertmanagerPort = 9093;
export const nodeExporterPort = 9100;

/** Directory of the monitoring configuration inside the monitoring container. */
export const monitoringConfigDirectory = '/etc/mountdrill';

export interface PreparedFile {
  /** File name inside the monitoring container's configuration directory. */
  name: string;
  /** Path of the file in the system profile, for error messages. */
  source: string;
  /** Content as the system wrote it. */
  original: string;
  /** Content as the drill loads it: the original, or rewritten for the time scale and the sink. */
  content: string;
}

/** The system's alerting files as a drill loads them, with what was changed and why. */
export interface PreparedAlerting {
  ruleFiles: PreparedFile[];
  alertmanager: PreparedFile;
  redirectedReceivers: RedirectedReceiver[];
  timeScale: number;
  /** group_wait of Alertmanager's root route as the drill runs it. */
  groupWaitMs: number;
  /** Scrape and evaluation intervals after the time scale, in milliseconds. */
  scrapeIntervalMs: number;
  evaluationIntervalMs: number;
}

/**
 * Reads the profile's rule files and Alertmanager configuration and prepares them for a drill.
 * Rule files stay byte for byte unless the time scale is above 1. Scrape and evaluation
 * intervals never go below 250 ms, which keeps Prometheus's load on a small host bounded.
 */
export function prepareAlerting(profile: SystemProfile): PreparedAlerting | undefined {
  const alerting = profile.alerting;
  if (!alerting) {
    return undefined;
  }
  const timeScale = alerting.timeScale;
  const usedNames = new Set<string>();
  const ruleFiles = alerting.ruleFiles.map((relative) => {
    const source = path.resolve(profile.directory, relative);
    const original = readFileSync(source, 'utf8');
    const name = uniqueName(path.basename(source), usedNames);
    return { name, source, original, content: timeScale === 1 ? original : scaleRuleFile(original, timeScale) };
  });

  const alertmanagerSource = path.resolve(profile.directory, alerting.alertmanagerConfig);
  const alertmanagerOriginal = readFileSync(alertmanagerSource, 'utf8');
  const prepared = prepareAlertmanagerConfig(alertmanagerOriginal, alertmanagerSource, `http://127.0.0.1:${sinkPort}`, timeScale);

  return {
    ruleFiles,
    alertmanager: { name: 'alertmanager.yml', source: alertmanagerSource, original: alertmanagerOriginal, content: prepared.yaml },
    redirectedReceivers: prepared.redirected,
    timeScale,
    groupWaitMs: prepared.groupWaitMs,
    scrapeIntervalMs: Math.max(250, (alerting.scrapeIntervalSeconds * 1000) / timeScale),
    evaluationIntervalMs: Math.max(250, (alerting.evaluationIntervalSeconds * 1000) / timeScale),
  };
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let index = 2; used.has(candidate); index += 1) {
    candidate = `${index}-${name}`;
  }
  used.add(candidate);
  return candidate;
}
