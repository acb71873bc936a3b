/**
 * The README's first command: the demo runs on the embedded default and shows all three flows —
 * this run's bookings, the accounts after finance acted (past quarters included), and the
 * manager's forecast by quarter, rep and lead source.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';

/** The rows of the printed table whose header starts with `first`. */
function tableAfter(out: string, first: string): string[] {
  const lines = out.split('\n');
  const header = lines.findIndex((l) => l.startsWith(`  ${first} `));
  if (header < 0) return [];
  const end = lines.findIndex((l, i) => i > header && l.trim() === '');
  return lines.slice(header + 1, end < 0 ? undefined : end);
}

interface ForecastRow {
  label: string;
  won: number;
  lost: number;
  open: number;
  pipeline: Decimal;
  booked: Decimal;
  paid: Decimal;
  overdue: Decimal;
  collected: number | null;
}

const FORECAST_ROW =
  /^ {2}(.+?) {2,}(\d+)\/(\d+)\/(\d+) +([\d,.]+) +([\d,.]+) +([\d,.]+) +([\d,.]+) +([\d,.]+) +(\d+ %|—)/;
/** A printed amount ('12,345.60') as a decimal: money is never a float, in tests either. */
const amount = (s: string | undefined) => new Decimal((s ?? '').replace(/,/g, ''));

function forecastRows(rows: string[]): ForecastRow[] {
  return rows.map((row) => {
    const m = FORECAST_ROW.exec(row);
    if (!m) throw new Error(`not a forecast row: ${row}`);
    return {
      label: m[1] as string,
      won: Number(m[2]),
      lost: Number(m[3]),
      open: Number(m[4]),
      pipeline: amount(m[5]),
      booked: amount(m[6]),
      paid: amount(m[8]),
      overdue: amount(m[9]),
      collected: m[10] === '—' ? null : parseInt(m[10] as string, 10),
    };
  });
}

test('npm run demo -- --once books the won deals, brings finance back, shows the forecast, and exits', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'closeloop-demo-'));
  try {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/demo/main.js'), '--once'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        CLOSELOOP_DATA_DIR: dataDir,
        // A scheduled sweep every second: the demo's own sweep after finance acts must still be one
        // that read the ERP afterwards, not skipped for a scheduled one that read it before.
        SYNC_FINANCIALS_CRON: '* * * * * *',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });

    // This run's bookings, live through POST /v1/events: only the ten recent Closed-Won deals.
    expect(out).toContain('Booked 7 of 10 Closed-Won opportunities');
    expect(tableAfter(out, 'Opportunity')).toHaveLength(10);
    expect(out).toMatch(/Tailspin — Enterprise pilot .* Failed .*"CL-LICENSE-ENT"/);
    expect(out.match(/has no product with code/g)).toHaveLength(1);
    expect(out).toMatch(/Woodgrove — trading desk seats .* Credit Hold/);
    expect(out).toMatch(/Alpine — season kickoff .* Failed .*may already exist/);
    expect(out).toMatch(/Wide World — logistics hubs .* EUR 10,196\.00 +Booked +\d+ +INV-\d{4}-\d{5}/);

    // The accounts: the story's, those over their credit limit, the most overdue in other currencies.
    expect(out).toMatch(/brought it back to the 29 accounts with an ERP customer/);
    expect(out).toMatch(/Northwind Traders\s+USD 0\.00/);
    expect(out).toMatch(/Contoso Pharmaceuticals\s+USD 52,000\.00\s+USD 0\.00/);
    expect(out).toMatch(/Fabrikam Manufacturing\s+USD 16,978\.00\s+USD 4,990\.00/);
    expect(out).toMatch(/Lamna Healthcare\s+USD 30,488\.00\s+USD 30,488\.00\s+USD 25,000\.00\s+USD -5,488\.00\s+yes/);
    expect(out).toMatch(/Trey Research\s+USD 10,984\.00\s+USD 10,984\.00\s+USD 8,000\.00\s+USD -2,984\.00\s+yes/);
    expect(out).toMatch(/Solmar Hoteles S\.L\.\s+EUR 9,900\.00\s+EUR 9,900\.00/);

    // The forecast: past quarters booked, invoiced and paid (some still overdue), the next ones in the pipeline.
    expect(out).toMatch(/in USD at the org's rates \(0\.92 EUR, 0\.79 GBP per USD\)/);
    const quarters = forecastRows(tableAfter(out, 'Quarter'));
    expect(quarters.map((q) => q.label)).toHaveLength(8);
    expect(quarters.every((q) => /^Q[1-4] \d{4}$/.test(q.label))).toBe(true);
    expect(quarters.filter((q) => q.booked.gt(0) && q.paid.gt(0)).length).toBeGreaterThanOrEqual(5);
    expect(quarters.some((q) => q.overdue.gt(0) && q.collected !== null && q.collected < 100)).toBe(true);
    expect(quarters.slice(-2).every((q) => q.open > 0 && q.pipeline.gt(0) && q.booked.isZero())).toBe(true);
    expect(quarters.reduce((n, q) => n + q.lost, 0)).toBeGreaterThan(5);

    const reps = forecastRows(tableAfter(out, 'Rep'));
    expect(reps.map((r) => r.label).sort()).toEqual([
      'Aiko Tanaka',
      'James Carter',
      'Lena Fischer',
      'Maria Lopez',
      'Oliver Hughes',
    ]);
    expect(reps.every((r) => r.booked.gt(0))).toBe(true);
    const sources = forecastRows(tableAfter(out, 'Lead source')).map((s) => s.label);
    expect(sources).toEqual(expect.arrayContaining(['Web', 'Partner Referral', 'Trade Show', 'Phone Inquiry']));

    expect(out).toContain('/openapi.json');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
