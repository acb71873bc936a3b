/**
 * The manager's view the demo prints: forecast vs actual over the last quarters and the next
 * ones, by quarter, by rep and by lead source, through the API the Lightning component calls —
 * converted to the corporate currency at the org's rates (CurrencyType), as a manager compares.
 */
import { forecastVsActualView, type ForecastVsActualView } from '../forecast/view';

/** Quarters shown: this many before the current one, and after it. */
export const QUARTERS_BACK = 5;
export const QUARTERS_AHEAD = 2;

export interface DemoForecast {
  byQuarter: ForecastVsActualView;
  byRep: ForecastVsActualView;
  byLeadSource: ForecastVsActualView;
}

/** `2026-Q3` for the quarter `offset` quarters from the one `today` is in. */
export function quarterKey(today: Date, offset: number): string {
  const index = today.getUTCFullYear() * 4 + Math.floor(today.getUTCMonth() / 3) + offset;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

export async function forecastOfRecentQuarters(url: string, token: string, today = new Date()): Promise<DemoForecast> {
  const range = `from=${quarterKey(today, -QUARTERS_BACK)}&to=${quarterKey(today, QUARTERS_AHEAD)}&grain=quarter&convert=true`;
  const view = async (groupBy: string) => {
    const res = await fetch(`${url}/v1/dashboards/forecast-vs-actual?${range}&groupBy=${groupBy}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`the dashboard answered ${res.status}: ${await res.text()}`);
    return forecastVsActualView.parse(await res.json());
  };
  return { byQuarter: await view('period'), byRep: await view('owner'), byLeadSource: await view('leadSource') };
}
