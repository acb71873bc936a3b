/** The README's first command: the demo runs on the embedded default and shows both flows. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

test('npm run demo -- --once books the won deals, brings finance back, and exits', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'closeloop-demo-'));
  try {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/demo/main.js'), '--once'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', CLOSELOOP_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('Booked 7 of 10 Closed-Won opportunities');
    expect(out).toMatch(/Tailspin — Enterprise pilot .* Failed .*"CL-LICENSE-ENT"/);
    expect(out).toMatch(/Woodgrove — trading desk seats .* Credit Hold/);
    expect(out).toMatch(/Alpine — season kickoff .* Failed .*may already exist/);
    expect(out).toMatch(/Northwind Traders\s+USD 0\.00/);
    expect(out).toMatch(/Fabrikam Manufacturing\s+USD 16,978\.00\s+USD 4,990\.00/);
    expect(out).toContain('Forecast vs actual');
    expect(out).toMatch(/^ {2}[A-Z][a-z]{2} \d{4} +\d+\/\d+\/\d+ +USD [\d,.]+ +USD [\d,.]+/m); // a month's row
    expect(out).toContain('/openapi.json');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
