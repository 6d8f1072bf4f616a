import { fetchJson } from './http.js';

/** An alert as Prometheus's /api/v1/alerts lists it. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value?: string;
}

/** An alerting rule as /api/v1/rules lists it. */
export interface PrometheusAlertingRule {
  name: string;
  query: string;
  duration: number;
  state: string;
  health: string;
  lastError?: string;
  alerts: PrometheusAlert[];
}

interface ApiResponse<T> {
  status: string;
  data: T;
}

export class PrometheusApi {
  constructor(readonly baseUrl: string) {}

  async alerts(): Promise<PrometheusAlert[]> {
    return (await fetchJson<ApiResponse<{ alerts: PrometheusAlert[] }>>(`${this.baseUrl}/api/v1/alerts`)).data.alerts;
  }

  async alertingRules(): Promise<PrometheusAlertingRule[]> {
    const response = await fetchJson<ApiResponse<{ groups: Array<{ rules: Array<PrometheusAlertingRule & { type: string }> }> }>>(`${this.baseUrl}/api/v1/rules?type=alert`);
    return response.data.groups.flatMap((group) => group.rules.filter((rule) => rule.type === 'alerting'));
  }

  /** Label sets of every series of a metric currently in the head block. */
  async series(metric: string): Promise<Array<Record<string, string>>> {
    const match = encodeURIComponent(`{__name__=${JSON.stringify(metric)}}`);
    return (await fetchJson<ApiResponse<Array<Record<string, string>>>>(`${this.baseUrl}/api/v1/series?match[]=${match}`)).data;
  }

  async targets(): Promise<Array<{ health: string; lastError: string; labels: Record<string, string> }>> {
    return (await fetchJson<ApiResponse<{ activeTargets: Array<{ health: string; lastError: string; labels: Record<string, string> }> }>>(`${this.baseUrl}/api/v1/targets`)).data.activeTargets;
  }
}
