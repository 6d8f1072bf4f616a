import type { StartedTestContainer } from 'testcontainers';
import { alertmanagerPort, monitoringConfigDirectory, nodeExporterPort, prometheusPort, sinkPort, type PreparedAlerting } from '../alerting/prepare.js';
import { prometheusConfig } from '../alerting/prometheus-config.js';
import { sinkScript } from '../alerting/sink-script.js';
import { creations } from '../engine/creations.js';
import { execDetached, execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { debugLog } from '../log.js';
import { AlertmanagerApi, NotificationSink } from '../observers/alertmanager-api.js';
import { PrometheusApi } from '../observers/prometheus-api.js';
import { pollUntil } from '../runner/poll.js';
import type { ClientHost } from './client-host.js';
import { InitContainer } from './fuse-container.js';
import type { DrillNetwork } from './network.js';
import { shellCommand } from './shell-quote.js';

const log = debugLog('topology');

/**
 * File systems node_exporter's filesystem collector skips: its defaults plus every FUSE type,
 * because statfs on a hung FUSE mount blocks, and with it every scrape of the exporter.
 */
const excludedFsTypes =
  '^(fuse\\..*|fuse|autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$';

/** Prometheus, Alertmanager and the notification sink of one drill, and how to reach them. */
export interface Monitoring {
  container: StartedTestContainer;
  address: string;
  prometheus: PrometheusApi;
  alertmanager: AlertmanagerApi;
  sink: NotificationSink;
  prepared: PreparedAlerting;
  /** Returns the last lines of a monitoring program's log, for evidence. */
  logTail(program: 'prometheus' | 'alertmanager' | 'sink', lines?: number): Promise<string[]>;
}

/** Starts node_exporter in the client, serving its textfile-collector directory. */
export async function startNodeExporter(client: ClientHost, textfileDirectory: string): Promise<void> {
  const command = [
    'prometheus-node-exporter',
    `--web.listen-address=:${nodeExporterPort}`,
    `--collector.textfile.directory=${textfileDirectory}`,
    `--collector.filesystem.fs-types-exclude=${excludedFsTypes}`,
  ];
  await execDetached(client.id, ['/bin/sh', '-c', `exec ${shellCommand(command)} >/var/log/mountdrill/node-exporter.log 2>&1`]);
  await waitReady(`http://${client.address}:${nodeExporterPort}/metrics`, 'node_exporter', false);
}

export interface MonitoringOptions {
  image: string;
  name: string;
  network: DrillNetwork;
  labels: Record<string, string>;
  client: ClientHost;
  prepared: PreparedAlerting;
}

/** Starts Prometheus, Alertmanager and the notification sink in one container and waits until all three are ready. */
export async function startMonitoring(options: MonitoringOptions): Promise<Monitoring> {
  const { prepared } = options;
  const directory = monitoringConfigDirectory;
  const prometheusYaml = prometheusConfig({
    scrapeIntervalMs: prepared.scrapeIntervalMs,
    evaluationIntervalMs: prepared.evaluationIntervalMs,
    nodeExporterTarget: `${options.client.address}:${nodeExporterPort}`,
    alertmanagerTarget: `127.0.0.1:${alertmanagerPort}`,
    ruleFiles: prepared.ruleFiles.map((file) => `${directory}/rules/${file.name}`),
  });
  const script = [
    'mkdir -p /var/log/mountdrill /var/lib/mountdrill/prometheus /var/lib/mountdrill/alertmanager',
    `prometheus --config.file=${directory}/prometheus.yml --storage.tsdb.path=/var/lib/mountdrill/prometheus --web.listen-address=:${prometheusPort} >/var/log/mountdrill/prometheus.log 2>&1 &`,
    // An empty cluster address turns off Alertmanager's gossip, which a single instance does not need.
    `prometheus-alertmanager --config.file=${directory}/alertmanager.yml --storage.path=/var/lib/mountdrill/alertmanager --web.listen-address=:${alertmanagerPort} --cluster.listen-address= >/var/log/mountdrill/alertmanager.log 2>&1 &`,
    `python3 ${directory}/sink.py ${sinkPort} >/var/log/mountdrill/sink.log 2>&1 &`,
    'wait',
  ].join('\n');

  const started = performance.now();
  const builder = new InitContainer(options.image)
    .withName(options.name)
    .withHostname('monitoring')
    .withNetworkMode(options.network.name)
    .withLabels(options.labels)
    .withCopyContentToContainer([
      { content: prometheusYaml, target: `${directory}/prometheus.yml` },
      { content: prepared.alertmanager.content, target: `${directory}/alertmanager.yml` },
      { content: sinkScript, target: `${directory}/sink.py` },
      ...prepared.ruleFiles.map((file) => ({ content: file.content, target: `${directory}/rules/${file.name}` })),
    ])
    .withCommand(['/bin/sh', '-c', script]);
  const container = await creations.track(`container ${options.name}`, () => builder.start());
  const address = container.getIpAddress(options.network.name);
  const logTail = async (program: string, lines = 20): Promise<string[]> => {
    const result = await execInContainer(container.getId(), ['tail', '-n', String(lines), `/var/log/mountdrill/${program}.log`], { timeoutMs: 5_000 });
    return result.stdout.trim().split('\n').filter(Boolean);
  };

  try {
    await waitReady(`http://${address}:${prometheusPort}/-/ready`, 'Prometheus', false);
    await waitReady(`http://${address}:${alertmanagerPort}/-/ready`, 'Alertmanager', false);
    await waitReady(`http://${address}:${sinkPort}/deliveries`, 'notification sink');
  } catch (error) {
    const evidence = { prometheusLog: await logTail('prometheus'), alertmanagerLog: await logTail('alertmanager'), sinkLog: await logTail('sink') };
    await container.stop({ remove: true, timeout: 1_000 }).catch(() => undefined);
    throw new MountdrillError('TOPOLOGY_FAILED', error instanceof Error ? error.message : String(error), { evidence, cause: error });
  }
  log('started monitoring %s at %s in %d ms', options.name, address, Math.round(performance.now() - started));

  return {
    container,
    address,
    prometheus: new PrometheusApi(`http://${address}:${prometheusPort}`),
    alertmanager: new AlertmanagerApi(`http://${address}:${alertmanagerPort}`),
    sink: new NotificationSink(`http://${address}:${sinkPort}`),
    prepared,
    logTail,
  };
}

/** Polls an HTTP endpoint of a drill container until it returns status 200. */
async function waitReady(url: string, service: string, expectJson = true): Promise<void> {
  const result = await pollUntil({
    probe: async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (expectJson) {
        await response.json();
      }
      return response.status;
    },
    until: (status) => status === 200,
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  if (!result.ok) {
    const reason = result.lastError instanceof Error ? result.lastError.message : `HTTP ${String(result.lastValue)}`;
    throw new MountdrillError('TOPOLOGY_FAILED', `${service} did not become ready at ${url} within 30 s: ${reason}`, {
      hint: 'DEBUG=mountdrill:* shows each step; the evidence holds the program logs',
    });
  }
}
