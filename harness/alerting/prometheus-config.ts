import { stringify } from 'yaml';
import { formatDuration } from './duration.js';

export interface PrometheusConfigOptions {
  scrapeIntervalMs: number;
  evaluationIntervalMs: number;
  /** `host:port` of the client's node_exporter. */
  nodeExporterTarget: string;
  /** `host:port` of Alertmanager. */
  alertmanagerTarget: string;
  ruleFiles: string[];
}

/** Label identifying the client host in every scraped series, as `instance` does in production. */
export const clientInstanceLabel = 'client';

/** Generates the Prometheus configuration of a drill: one scrape job for the client's node_exporter. */
export function prometheusConfig(options: PrometheusConfigOptions): string {
  const scrapeInterval = formatDuration(options.scrapeIntervalMs);
  return stringify({
    global: {
      scrape_interval: scrapeInterval,
      // Prometheus rejects a scrape timeout longer than the scrape interval.
      scrape_timeout: formatDuration(Math.min(10_000, options.scrapeIntervalMs)),
      evaluation_interval: formatDuration(options.evaluationIntervalMs),
    },
    rule_files: options.ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanagerTarget] }] }] },
    scrape_configs: [
      {
        job_name: 'node',
        // A fixed instance label instead of the target address, which changes per run.
        static_configs: [{ targets: [options.nodeExporterTarget], labels: { instance: clientInstanceLabel } }],
      },
    ],
  });
}
