import { alertInState, alertReceived, alertResolved, noOtherNotifications } from '../harness/expectations/alerts.js';
import { defineDrill } from '../harness/runner/drill.js';

/**
 * Tests the alert pipeline without paging anyone: a synthetic drill metric must fire its alert
 * and reach Alertmanager, whose route for drills has no notification integration.
 */
export const alertPipeline = defineDrill({
  name: 'alert-pipeline',
  description: 'write a synthetic drill metric; its alert must fire and reach Alertmanager, and no notification may go out',
  fault: 'drill-signal',
  expectations: [alertInState({ alert: 'drillSignal', state: 'firing' }), alertReceived({ alert: 'drillSignal' }), noOtherNotifications({ receivers: [] })],
  afterHeal: [alertResolved({ alert: 'drillSignal' })],
});
