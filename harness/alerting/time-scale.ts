import { parse, stringify } from 'yaml';
import { scaleDuration } from './duration.js';

/** Rule fields that are durations (Prometheus 2.42 rule files). */
const ruleDurationFields = ['for', 'keep_firing_for'] as const;
/** Route fields that are durations; child routes inherit them unless they set their own. */
const routeDurationFields = ['group_wait', 'group_interval', 'repeat_interval'] as const;

/**
 * Divides every `for:` and `keep_firing_for:` of a Prometheus rule file, and each group's
 * `interval:`, by the time scale. Returns the rewritten YAML; comments are not kept.
 */
export function scaleRuleFile(text: string, timeScale: number): string {
  const document = parse(text) as { groups?: Array<Record<string, unknown> & { rules?: Array<Record<string, unknown>> }> } | null;
  for (const group of document?.groups ?? []) {
    if (typeof group.interval === 'string') {
      group.interval = scaleDuration(group.interval, timeScale);
    }
    for (const rule of group.rules ?? []) {
      for (const field of ruleDurationFields) {
        if (typeof rule[field] === 'string') {
          rule[field] = scaleDuration(rule[field], timeScale);
        }
      }
    }
  }
  return stringify(document, { lineWidth: 0 });
}

/** Alertmanager's route timing defaults (0.25), made explicit so they can be scaled too. */
const alertmanagerRouteDefaults = { group_wait: '30s', group_interval: '5m', repeat_interval: '4h' };

interface Route extends Record<string, unknown> {
  routes?: Route[];
}

/**
 * Divides the route timings (`group_wait`, `group_interval`, `repeat_interval`) of an
 * Alertmanager configuration by the time scale. The root route gets Alertmanager's defaults
 * first where it sets none, so an unset value is compressed like a set one.
 */
export function scaleAlertmanagerRoutes(config: Record<string, unknown>, timeScale: number): void {
  const root = config.route as Route | undefined;
  if (!root) {
    return;
  }
  for (const [field, value] of Object.entries(alertmanagerRouteDefaults)) {
    root[field] ??= value;
  }
  const visit = (route: Route): void => {
    for (const field of routeDurationFields) {
      if (typeof route[field] === 'string') {
        route[field] = scaleDuration(route[field], timeScale);
      }
    }
    for (const child of route.routes ?? []) {
      visit(child);
    }
  };
  visit(root);
}
