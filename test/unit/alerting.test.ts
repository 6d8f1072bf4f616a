import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { prepareAlertmanagerConfig } from '../../harness/alerting/alertmanager-config.js';
import { formatDuration, parseDuration, scaleDuration } from '../../harness/alerting/duration.js';
import { prometheusConfig } from '../../harness/alerting/prometheus-config.js';
import { metricNamesInExpression } from '../../harness/alerting/promql-names.js';
import { scaleAlertmanagerRoutes, scaleRuleFile } from '../../harness/alerting/time-scale.js';
import { realTimeTimings } from '../../harness/journal/timeline.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1m30s250ms', 90_250],
    ['0', 0],
  ])('parses %s', (text, milliseconds) => {
    expect(parseDuration(text)).toBe(milliseconds);
  });

  it.each(['', '5', '5 m', '1.5m', 'm5', '5mm', '-1s'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });
});

describe('formatDuration', () => {
  it('writes the largest units first', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(750)).toBe('750ms');
    expect(formatDuration(90_250)).toBe('1m30s250ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('round-trips through parseDuration', () => {
    for (const milliseconds of [1, 999, 1_000, 61_001, 86_400_000]) {
      expect(parseDuration(formatDuration(milliseconds))).toBe(milliseconds);
    }
  });
});

describe('scaleDuration', () => {
  it('divides by the scale and keeps a floor', () => {
    expect(scaleDuration('5m', 60)).toBe('5s');
    expect(scaleDuration('1m', 20)).toBe('3s');
    expect(scaleDuration('1s', 10_000)).toBe('1ms');
  });
});

describe('scaleRuleFile', () => {
  const rules = `
groups:
  - name: g
    interval: 1m
    rules:
      - alert: A
        expr: up == 0
        for: 5m
        keep_firing_for: 10m
      - alert: B
        expr: up == 0
      - record: r
        expr: sum(up)
`;

  it('divides for, keep_firing_for and group intervals', () => {
    const scaled = parse(scaleRuleFile(rules, 60)) as { groups: Array<{ interval: string; rules: Array<Record<string, string>> }> };
    const group = scaled.groups[0]!;
    expect(group.interval).toBe('1s');
    expect(group.rules[0]!.for).toBe('5s');
    expect(group.rules[0]!.keep_firing_for).toBe('10s');
    expect(group.rules[1]!.for).toBeUndefined();
    expect(group.rules[2]!.expr).toBe('sum(up)');
  });
});

describe('scaleAlertmanagerRoutes', () => {
  it('scales nested routes and makes root defaults explicit', () => {
    const config: Record<string, unknown> = { route: { receiver: 'a', routes: [{ receiver: 'b', group_wait: '1m', routes: [{ receiver: 'c', repeat_interval: '1h' }] }] } };
    scaleAlertmanagerRoutes(config, 10);
    expect(config.route).toEqual({
      receiver: 'a',
      group_wait: '3s',
      group_interval: '30s',
      repeat_interval: '24m',
      routes: [{ receiver: 'b', group_wait: '6s', routes: [{ receiver: 'c', repeat_interval: '6m' }] }],
    });
  });
});

describe('prepareAlertmanagerConfig', () => {
  const config = `
route:
  receiver: tickets
  group_wait: 30s
receivers:
  - name: pager
    pagerduty_configs:
      - routing_key: secret
    slack_configs:
      - api_url: https://hooks.example.invalid/x
        send_resolved: true
  - name: tickets
    webhook_configs:
      - url: http://tickets.example.invalid/hook
        send_resolved: false
  - name: silent
templates: [/etc/alertmanager/templates/*.tmpl]
inhibit_rules:
  - source_matchers: ['alertname="Down"']
    target_matchers: ['alertname="PathUnreadable"']
    equal: [instance]
`;

  it('points every integration at the sink, keeping send_resolved', () => {
    const prepared = prepareAlertmanagerConfig(config, 'am.yml', 'http://127.0.0.1:9099', 1);
    const result = parse(prepared.yaml) as { receivers: Array<Record<string, unknown>>; templates?: unknown; inhibit_rules: unknown[] };
    expect(result.receivers[0]).toEqual({
      name: 'pager',
      webhook_configs: [
        { url: 'http://127.0.0.1:9099/receivers/pager/pagerduty', send_resolved: true },
        { url: 'http://127.0.0.1:9099/receivers/pager/slack', send_resolved: true },
      ],
    });
    expect(result.receivers[1]).toEqual({ name: 'tickets', webhook_configs: [{ url: 'http://127.0.0.1:9099/receivers/tickets/webhook', send_resolved: false }] });
    expect(result.receivers[2]).toEqual({ name: 'silent' });
    expect(prepared.redirected).toEqual([
      { receiver: 'pager', integrations: ['pagerduty_configs', 'slack_configs'] },
      { receiver: 'tickets', integrations: ['webhook_configs'] },
    ]);
    expect(prepared.yaml).not.toContain('secret');
    expect(prepared.yaml).not.toContain('example.invalid');
    expect(result.templates).toBeUndefined();
    expect(result.inhibit_rules).toHaveLength(1);
    expect(prepared.groupWaitMs).toBe(30_000);
  });

  it('scales the route timings', () => {
    const prepared = prepareAlertmanagerConfig(config, 'am.yml', 'http://127.0.0.1:9099', 20);
    expect((parse(prepared.yaml) as { route: Record<string, string> }).route).toMatchObject({ group_wait: '1s500ms', group_interval: '15s', repeat_interval: '12m' });
    expect(prepared.groupWaitMs).toBe(1_500);
  });

  it('names the file on invalid YAML', () => {
    expect(() => prepareAlertmanagerConfig('route: [', 'bad.yml', 'http://127.0.0.1:9099', 1)).toThrow(/invalid YAML in Alertmanager configuration bad.yml/);
  });
});

describe('prometheusConfig', () => {
  it('keeps the scrape timeout within the interval', () => {
    const config = parse(prometheusConfig({ scrapeIntervalMs: 750, evaluationIntervalMs: 750, nodeExporterTarget: '10.0.0.3:9100', alertmanagerTarget: '127.0.0.1:9093', ruleFiles: ['/etc/r.yml'] })) as {
      global: Record<string, string>;
      scrape_configs: Array<{ static_configs: Array<{ targets: string[]; labels: Record<string, string> }> }>;
    };
    expect(config.global).toEqual({ scrape_interval: '750ms', scrape_timeout: '750ms', evaluation_interval: '750ms' });
    expect(config.scrape_configs[0]!.static_configs[0]).toEqual({ targets: ['10.0.0.3:9100'], labels: { instance: 'client' } });
  });
});

describe('metricNamesInExpression', () => {
  it.each([
    ['storage_path_ok{role="hot"} == 0', ['storage_path_ok']],
    ['time() - storage_probe_last_run_timestamp_seconds > 120 or absent(storage_probe_last_run_timestamp_seconds)', ['storage_probe_last_run_timestamp_seconds']],
    ['sum by (instance, path) (rate(node_errors_total{job="node"}[5m])) > bool 0', ['node_errors_total']],
    ['a unless on (instance) b offset 5m', ['a', 'b']],
    ['up{job="x", label="has {braces} and \\"quotes\\""} == 0', ['up']],
  ])('finds the metrics of %s', (expression, names) => {
    expect(metricNamesInExpression(expression)).toEqual(names);
  });
});

describe('realTimeTimings', () => {
  it('scales only what follows detection', () => {
    const measured = { timeToSymptomMs: 1_000, timeToDetectMs: 2_000, timeToAlertMs: 5_000, timeToNotifyMs: 7_000, timeToRecoverMs: 18_000, timeToResolveMs: 800 };
    expect(realTimeTimings(measured, 20)).toEqual({ timeToSymptomMs: 1_000, timeToDetectMs: 2_000, timeToAlertMs: 62_000, timeToNotifyMs: 102_000, timeToRecoverMs: 18_000, timeToResolveMs: 16_000 });
  });

  it('keeps missing timings missing', () => {
    const measured = { timeToSymptomMs: 14, timeToDetectMs: null, timeToAlertMs: 1_000, timeToNotifyMs: null, timeToRecoverMs: null, timeToResolveMs: null };
    expect(realTimeTimings(measured, 10)).toEqual({ timeToSymptomMs: 14, timeToDetectMs: null, timeToAlertMs: 10_000, timeToNotifyMs: null, timeToRecoverMs: null, timeToResolveMs: null });
  });
});
