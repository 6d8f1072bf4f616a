import { fetchJson } from './http.js';

/** An alert as Alertmanager's /api/v2/alerts lists it. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  receivers: Array<{ name: string }>;
  startsAt: string;
  updatedAt: string;
}

export class AlertmanagerApi {
  constructor(readonly baseUrl: string) {}

  /** Alerts Alertmanager holds, inhibited and silenced ones included. */
  async alerts(): Promise<AlertmanagerAlert[]> {
    return fetchJson<AlertmanagerAlert[]>(`${this.baseUrl}/api/v2/alerts`);
  }
}

/** A webhook delivery recorded by the drill's notification sink. */
export interface Delivery {
  arrivedAtMs: number;
  receiver: string;
  integration: string;
  status: 'firing' | 'resolved';
  alerts: Array<{ name: string; status: string; labels: Record<string, string> }>;
}

export class NotificationSink {
  constructor(readonly baseUrl: string) {}

  async deliveries(): Promise<Delivery[]> {
    return fetchJson<Delivery[]>(`${this.baseUrl}/deliveries`);
  }
}
