import { parse, stringify } from 'yaml';
import { MountdrillError } from '../errors.js';
import { parseDuration } from './duration.js';
import { scaleAlertmanagerRoutes } from './time-scale.js';

/**
 * Whether each Alertmanager integration sends resolved notifications when its
 * configuration does not say (Alertmanager 0.25 defaults).
 */
const sendResolvedDefaults: Record<string, boolean> = {
  webhook_configs: true,
  pagerduty_configs: true,
  opsgenie_configs: true,
  victorops_configs: true,
  pushover_configs: true,
  sns_configs: true,
  telegram_configs: true,
  webex_configs: true,
  discord_configs: true,
  email_configs: false,
  slack_configs: false,
  wechat_configs: false,
};

/** A receiver whose integrations the harness pointed at the notification sink. */
export interface RedirectedReceiver {
  receiver: string;
  /** Integration kinds it had, such as `webhook_configs` or `pagerduty_configs`. */
  integrations: string[];
}

export interface PreparedAlertmanagerConfig {
  yaml: string;
  redirected: RedirectedReceiver[];
  /** The root route's group_wait after scaling (Alertmanager's 30 s default when unset). */
  groupWaitMs: number;
}

interface Receiver extends Record<string, unknown> {
  name: string;
}

/**
 * Rewrites an Alertmanager configuration for a drill. Routes, matchers and inhibition rules stay
 * as written. Every notification integration of every receiver is replaced by a webhook to the
 * drill's notification sink, so a drill records each delivery and can never page anyone.
 * With a time scale above 1, the route timings are divided by it.
 */
export function prepareAlertmanagerConfig(text: string, source: string, sinkBaseUrl: string, timeScale: number): PreparedAlertmanagerConfig {
  let config: Record<string, unknown>;
  try {
    config = (parse(text) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new MountdrillError('CONFIG_INVALID', `invalid YAML in Alertmanager configuration ${source}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `fix ${source}; \`amtool check-config\` shows the same errors`,
    });
  }

  const redirected: RedirectedReceiver[] = [];
  for (const receiver of (config.receivers ?? []) as Receiver[]) {
    const integrations = Object.keys(receiver).filter((key) => key.endsWith('_configs'));
    if (integrations.length === 0) {
      continue;
    }
    const webhooks = integrations.flatMap((integration) =>
      ((receiver[integration] ?? []) as Array<Record<string, unknown>>).map((entry) => ({
        url: `${sinkBaseUrl}/receivers/${encodeURIComponent(receiver.name)}/${integration.replace(/_configs$/, '')}`,
        send_resolved: typeof entry.send_resolved === 'boolean' ? entry.send_resolved : (sendResolvedDefaults[integration] ?? false),
      })),
    );
    for (const integration of integrations) {
      delete receiver[integration];
    }
    receiver.webhook_configs = webhooks;
    redirected.push({ receiver: receiver.name, integrations });
  }

  // Notification templates shape messages of the integrations replaced above; webhooks ignore them.
  delete config.templates;
  if (timeScale !== 1) {
    scaleAlertmanagerRoutes(config, timeScale);
  }
  const groupWait = (config.route as Record<string, unknown> | undefined)?.group_wait;
  const groupWaitMs = typeof groupWait === 'string' ? parseDuration(groupWait) : 30_000 / timeScale;
  return { yaml: stringify(config, { lineWidth: 0 }), redirected, groupWaitMs };
}
