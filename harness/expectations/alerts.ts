import { metricNamesInExpression } from '../alerting/promql-names.js';
import { alertNameFor, receiverNameFor } from '../config/system-profile.js';
import { MountdrillError } from '../errors.js';
import type { Delivery } from '../observers/alertmanager-api.js';
import type { PrometheusAlert } from '../observers/prometheus-api.js';
import type { DrillContext } from '../runner/context.js';
import { pollUntil } from '../runner/poll.js';
import type { Monitoring } from '../topology/monitoring.js';
import type { Expectation, ExpectationResult } from './expectation.js';

/** Default deadline of alert expectations, in production time: divided by the time scale. */
const defaultAlertDeadlineMs = 10 * 60_000;

function monitoringOf(context: DrillContext): Monitoring {
  if (!context.monitoring) {
    throw new MountdrillError('CONFIG_INVALID', `drill expects alerts but system ${context.profile.name} declares no alerting section`, {
      hint: 'add alerting (ruleFiles, alertmanagerConfig) to system.yaml, or run a drill without alert expectations',
    });
  }
  return context.monitoring;
}

/** Deadline for an alert expectation: the given one, else 10 minutes of production time, scaled, and at least 30 s. */
function alertDeadline(context: DrillContext, deadlineMs: number | undefined): number {
  if (deadlineMs !== undefined) {
    return deadlineMs;
  }
  const timeScale = context.profile.alerting?.timeScale ?? 1;
  return Math.max(30_000, defaultAlertDeadlineMs / timeScale);
}

function matchesLabels(labels: Record<string, string>, expected: Record<string, string>): boolean {
  return Object.entries(expected).every(([key, value]) => labels[key] === value);
}

async function poll<T>(context: DrillContext, deadlineMs: number, probe: () => Promise<T>, until: (value: T) => boolean, intervalMs = 250) {
  return pollUntil({ probe, until, timeoutMs: deadlineMs, intervalMs, clock: context.clock });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface AlertStateOptions {
  /** Role of the alert in the profile's `alerting.alerts`. */
  alert: string;
  state: 'pending' | 'firing';
  /** Labels the alert must carry, such as `{ path: '/srv/hot/crawl' }`. */
  labels?: Record<string, string>;
  deadlineMs?: number;
}

/**
 * Expects Prometheus to list the alert as pending (or already firing) or as firing.
 * On failure the evidence shows the rule's state and every series that exists for the
 * metrics its expression selects, so a label the detector never writes is easy to spot.
 */
export function alertInState(options: AlertStateOptions): Expectation {
  const firing = options.state === 'firing';
  return {
    id: `alert-${options.state}-${options.alert}`,
    title: `alert ${options.alert} ${options.state} in Prometheus`,
    event: firing ? 'alert.firing' : 'alert.pending',
    needsAlerting: true,
    deadlineMs: (context) => alertDeadline(context, options.deadlineMs),

    async evaluate(context, deadlineMs): Promise<ExpectationResult> {
      const monitoring = monitoringOf(context);
      const name = alertNameFor(context.profile, options.alert);
      const matching = (alerts: PrometheusAlert[]): PrometheusAlert[] =>
        alerts.filter((alert) => alert.labels.alertname === name && matchesLabels(alert.labels, options.labels ?? {}) && (firing ? alert.state === 'firing' : alert.state !== 'inactive'));

      const result = await poll(context, deadlineMs, () => monitoring.prometheus.alerts(), (alerts) => matching(alerts).length > 0);
      if (result.ok) {
        const found = matching(result.value);
        return {
          ok: true,
          message: `${name} ${found[0]!.state} for ${found.map((alert) => labelText(alert.labels)).join(', ')}`,
          evidence: {},
          waitedMs: result.elapsedMs,
          detail: { alert: name, labels: found.map((alert) => alert.labels) },
        };
      }
      return {
        ok: false,
        message: `alert ${name} was not ${options.state} in Prometheus within ${deadlineMs} ms`,
        evidence: await ruleEvidence(monitoring, name, result.ok ? undefined : result.lastValue, result.ok ? undefined : result.lastError),
        waitedMs: result.elapsedMs,
      };
    },
  };
}

/** Evidence for an alert that did not reach a state: the rule, its alerts, and the series its expression selects. */
async function ruleEvidence(monitoring: Monitoring, name: string, alerts: PrometheusAlert[] | undefined, lastError: unknown): Promise<Record<string, unknown>> {
  const evidence: Record<string, unknown> = {};
  if (lastError) {
    evidence.lastError = errorText(lastError);
  }
  const rules = await monitoring.prometheus.alertingRules().catch((error: unknown) => {
    evidence.rulesError = errorText(error);
    return [];
  });
  const rule = rules.find((candidate) => candidate.name === name);
  if (!rule) {
    evidence.rule = `no alerting rule named ${name} is loaded; loaded: ${rules.map((candidate) => candidate.name).join(', ') || 'none'}`;
    return evidence;
  }
  evidence.rule = { expression: rule.query, for: `${rule.duration} s`, state: rule.state, health: rule.health, ...(rule.lastError ? { lastError: rule.lastError } : {}) };
  evidence.alertsOfRule = (alerts ?? []).filter((alert) => alert.labels.alertname === name).map((alert) => `${alert.state} ${labelText(alert.labels)}`);
  const series: Record<string, string[]> = {};
  for (const metric of metricNamesInExpression(rule.query)) {
    const found = await monitoring.prometheus.series(metric).catch((error: unknown) => [{ error: errorText(error) }]);
    series[metric] = found.length === 0 ? ['no series with this name'] : found.map((labels) => labelText(labels));
  }
  evidence.existingSeries = series;
  return evidence;
}

export interface AlertReceivedOptions {
  alert: string;
  deadlineMs?: number;
}

/** Expects Alertmanager to hold the alert (active or suppressed), as /api/v2/alerts lists it. */
export function alertReceived(options: AlertReceivedOptions): Expectation {
  return {
    id: `alert-received-${options.alert}`,
    title: `alert ${options.alert} received by Alertmanager`,
    event: 'alert.received',
    needsAlerting: true,
    deadlineMs: (context) => alertDeadline(context, options.deadlineMs),

    async evaluate(context, deadlineMs) {
      const monitoring = monitoringOf(context);
      const name = alertNameFor(context.profile, options.alert);
      const result = await poll(context, deadlineMs, () => monitoring.alertmanager.alerts(), (alerts) => alerts.some((alert) => alert.labels.alertname === name));
      if (result.ok) {
        const found = result.value.filter((alert) => alert.labels.alertname === name);
        return {
          ok: true,
          message: `Alertmanager lists ${found.length} ${name} alert(s), state ${found.map((alert) => alert.status.state).join(', ')}`,
          evidence: {},
          waitedMs: result.elapsedMs,
          detail: { alert: name, states: found.map((alert) => alert.status.state), receivers: [...new Set(found.flatMap((alert) => alert.receivers.map((receiver) => receiver.name)))] },
        };
      }
      return {
        ok: false,
        message: `Alertmanager did not receive ${name} within ${deadlineMs} ms`,
        evidence: {
          alertmanagerAlerts: (result.lastValue ?? []).map((alert) => `${alert.status.state} ${labelText(alert.labels)}`),
          ...(result.lastError ? { lastError: errorText(result.lastError) } : {}),
          alertmanagerLog: await monitoring.logTail('alertmanager', 10),
        },
        waitedMs: result.elapsedMs,
      };
    },
  };
}

export interface NotificationOptions {
  alert: string;
  /** Role of the receiver in the profile's `alerting.receivers`. */
  receiver: string;
  status: 'firing' | 'resolved';
  deadlineMs?: number;
}

/** Expects the notification sink to record a delivery of the alert, with that status, to the receiver. */
export function notificationDelivered(options: NotificationOptions): Expectation {
  const resolved = options.status === 'resolved';
  return {
    id: `notification-${options.status}-${options.alert}`,
    title: `${resolved ? 'resolved ' : ''}notification for ${options.alert} delivered to ${options.receiver}`,
    event: resolved ? 'notification.resolved' : 'notification.delivered',
    needsAlerting: true,
    deadlineMs: (context) => alertDeadline(context, options.deadlineMs),

    async evaluate(context, deadlineMs) {
      const monitoring = monitoringOf(context);
      const name = alertNameFor(context.profile, options.alert);
      const receiver = receiverNameFor(context.profile, options.receiver);
      const matching = (deliveries: Delivery[]): Delivery[] =>
        deliveries.filter((delivery) => delivery.receiver === receiver && delivery.alerts.some((alert) => alert.name === name && alert.status === options.status));

      const result = await poll(context, deadlineMs, () => monitoring.sink.deliveries(), (deliveries) => matching(deliveries).length > 0);
      if (result.ok) {
        const delivery = matching(result.value)[0]!;
        return {
          ok: true,
          message: `${receiver} received ${name} (${options.status}) through ${delivery.integration}`,
          evidence: {},
          waitedMs: result.elapsedMs,
          detail: { alert: name, receiver, status: options.status, arrivedAt: new Date(delivery.arrivedAtMs).toISOString() },
        };
      }
      return {
        ok: false,
        message: `no ${options.status} notification for ${name} reached receiver ${receiver} within ${deadlineMs} ms`,
        evidence: {
          deliveries: (result.lastValue ?? []).map(deliveryText),
          alertmanagerAlerts: await monitoring.alertmanager
            .alerts()
            .then((alerts) => alerts.map((alert) => `${alert.status.state} ${labelText(alert.labels)} -> ${alert.receivers.map((entry) => entry.name).join(',')}`))
            .catch((error: unknown) => [errorText(error)]),
          ...(result.lastError ? { lastError: errorText(result.lastError) } : {}),
        },
        waitedMs: result.elapsedMs,
      };
    },
  };
}

export interface OnlyReceiversOptions {
  /** Receiver roles allowed to get notifications; empty means no notification at all. */
  receivers: string[];
  /** How long to watch; by default the root route's group_wait plus four evaluation intervals and 2 s. */
  quietPeriodMs?: number;
}

/**
 * Expects no delivery to any receiver outside the allowed ones. It watches for the whole quiet
 * period, because the absence of a notification can only be shown by waiting for it.
 */
export function noOtherNotifications(options: OnlyReceiversOptions): Expectation {
  const none = options.receivers.length === 0;
  return {
    id: none ? 'no-notifications' : 'no-other-notifications',
    title: none ? 'no notification delivered' : `no notification to receivers other than ${options.receivers.join(', ')}`,
    needsAlerting: true,
    deadlineMs: (context) => options.quietPeriodMs ?? quietPeriod(context),

    async evaluate(context, deadlineMs) {
      const monitoring = monitoringOf(context);
      const allowed = new Set(options.receivers.map((role) => receiverNameFor(context.profile, role)));
      const forbidden = (deliveries: Delivery[]): Delivery[] => deliveries.filter((delivery) => !allowed.has(delivery.receiver));

      const result = await poll(context, deadlineMs, () => monitoring.sink.deliveries(), (deliveries) => forbidden(deliveries).length > 0, 500);
      if (result.ok) {
        return {
          ok: false,
          message: `${forbidden(result.value).length} notification(s) reached receivers outside ${none ? '(none allowed)' : [...allowed].join(', ')}`,
          evidence: { deliveries: result.value.map(deliveryText) },
          waitedMs: result.elapsedMs,
        };
      }
      if (result.lastError) {
        return { ok: false, message: `reading the notification sink failed: ${errorText(result.lastError)}`, evidence: {}, waitedMs: result.elapsedMs };
      }
      return {
        ok: true,
        message: `${(result.lastValue ?? []).length} notification(s) in ${Math.round(deadlineMs)} ms, none outside ${none ? '(none allowed)' : [...allowed].join(', ')}`,
        evidence: {},
        waitedMs: result.elapsedMs,
      };
    },
  };
}

function quietPeriod(context: DrillContext): number {
  const prepared = monitoringOf(context).prepared;
  return prepared.groupWaitMs + 4 * prepared.evaluationIntervalMs + 2_000;
}

export interface AlertResolvedOptions {
  alert: string;
  deadlineMs?: number;
}

/** Expects Prometheus to list no pending or firing instance of the alert any more. */
export function alertResolved(options: AlertResolvedOptions): Expectation {
  return {
    id: `alert-resolved-${options.alert}`,
    title: `alert ${options.alert} resolved`,
    event: 'alert.resolved',
    needsAlerting: true,
    deadlineMs: (context) => alertDeadline(context, options.deadlineMs),

    async evaluate(context, deadlineMs) {
      const monitoring = monitoringOf(context);
      const name = alertNameFor(context.profile, options.alert);
      const active = (alerts: PrometheusAlert[]): PrometheusAlert[] => alerts.filter((alert) => alert.labels.alertname === name && alert.state !== 'inactive');
      const result = await poll(context, deadlineMs, () => monitoring.prometheus.alerts(), (alerts) => active(alerts).length === 0);
      if (result.ok) {
        return { ok: true, message: `${name} no longer pending or firing`, evidence: {}, waitedMs: result.elapsedMs, detail: { alert: name } };
      }
      return {
        ok: false,
        message: `${name} still active ${deadlineMs} ms after the fault was healed`,
        evidence: await ruleEvidence(monitoring, name, result.lastValue, result.lastError),
        waitedMs: result.elapsedMs,
      };
    },
  };
}

export function labelText(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(', ')}}`;
}

function deliveryText(delivery: Delivery): string {
  return `${new Date(delivery.arrivedAtMs).toISOString()} ${delivery.receiver}/${delivery.integration} ${delivery.status}: ${delivery.alerts.map((alert) => `${alert.name}(${alert.status})`).join(', ')}`;
}
