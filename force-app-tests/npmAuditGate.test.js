/**
 * The npm audit gate's rules (scripts/gates/npm-audit.mjs), on saved audit reports: a high or
 * critical advisory fails it unless excepted with a reason and a recent review; a registry that
 * cannot audit is "not run", never a pass. scripts/test.sh runs the gate itself on the real tree.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { REPO } = require('./lib/forceApp');

const SCRIPT = path.join(REPO, 'scripts', 'gates', 'npm-audit.mjs');
const FIXTURES = path.join(__dirname, 'fixtures', 'npm-audit');

describe('npm audit gate', () => {
  let scratch;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-npm-audit-'));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const today = new Date().toISOString().slice(0, 10);
  /** Runs the gate on a saved report with these exceptions: its exit code, output and figures. */
  function gate(report, exceptions) {
    const name = `${path.basename(report, '.json')}-${Math.random().toString(36).slice(2)}`;
    const exceptionsFile = path.join(scratch, `${name}.exceptions.json`);
    const out = path.join(scratch, `${name}.figures.json`);
    fs.writeFileSync(exceptionsFile, JSON.stringify({ exceptions }));
    const run = spawnSync(
      process.execPath,
      [SCRIPT, '--input', path.join(FIXTURES, report), '--exceptions', exceptionsFile, '--out', out],
      { encoding: 'utf8' },
    );
    return {
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
      figures: JSON.parse(fs.readFileSync(out, 'utf8')),
    };
  }
  const exception = (pkg, advisory, extra = {}) => ({
    package: pkg,
    advisory,
    why: 'Only reached by a build-time tool, never by the shipped backend.',
    reviewed: today,
    ...extra,
  });

  it('fails on high and critical advisories that no exception covers, counting them by severity', () => {
    const { status, stdout, stderr, figures } = gate('report.json', []);
    expect(status).toBe(1);
    expect(figures).toMatchObject({
      status: 'failed',
      packagesAudited: 120,
      advisories: 3,
      advisoriesBySeverity: { info: 0, low: 0, moderate: 1, high: 1, critical: 1 },
      excepted: [],
      failed: 2,
    });
    expect(figures.failing.map((a) => [a.package, a.severity, a.id])).toEqual([
      ['example-tar', 'high', '1000001'],
      ['example-template', 'critical', '1000002'],
    ]);
    expect(figures.failing[0].foundIn).toEqual(['example-tar']);
    expect(stdout).toBe(
      'npm-audit: 120 production packages audited; 3 advisories (info 0, low 0, moderate 1, high 1, critical 1); 0 high/critical excepted; 2 failing\n',
    );
    expect(stderr).toMatch(/critical example-template/);
  });

  it('passes when each high or critical advisory is excepted by id or url (moderate ones are reported only)', () => {
    const { status, figures } = gate('report.json', [
      exception('example-tar', '1000001'),
      exception('example-template', 'https://github.com/advisories/GHSA-exam-ple0-0002'),
    ]);
    expect({ status, failing: figures.failing, problems: figures.exceptionProblems }).toEqual({
      status: 0,
      failing: [],
      problems: [],
    });
    expect(figures.excepted.map((a) => [a.package, a.why])).toEqual([
      ['example-tar', expect.stringMatching(/build-time/)],
      ['example-template', expect.stringMatching(/build-time/)],
    ]);
    expect(figures.status).toBe('passed');
  });

  it('refuses an exception for another package, without a reason, or not reviewed for six months', () => {
    const { status, figures } = gate('report.json', [
      exception('example-gyp', '1000001'),
      exception('example-template', '1000002', { why: 'n/a' }),
      exception('example-tar', '1000001', { reviewed: '2020-01-01' }),
    ]);
    expect(status).toBe(1);
    expect(figures.exceptionProblems).toEqual([
      expect.stringMatching(/^exception 2 .*needs why/),
      expect.stringMatching(/^exception 3 .*last reviewed 2020-01-01/),
    ]);
    // None of them counts: both advisories still fail; the one for another package matches nothing.
    expect(figures.failing.map((a) => a.package)).toEqual(['example-tar', 'example-template']);
    expect(figures.excepted).toEqual([]);
    expect(figures.unusedExceptions).toEqual(['example-gyp 1000001']);
  });

  it('is "not run" (exit 2), never a pass, when the registry does not answer audit requests', () => {
    const { status, stderr, figures } = gate('registry-error.json', []);
    expect(status).toBe(2);
    expect(figures).toMatchObject({ status: 'not run', failed: null });
    expect(figures.reason).toMatch(/405 Method Not Allowed - POST <registry>\/-\/npm\/v1\/security\/advisories\/bulk/);
    expect(stderr).toMatch(/^npm-audit: NOT RUN/);
  });

  it('accepts the checked-in exceptions file on a clean report', () => {
    const run = spawnSync(
      process.execPath,
      [SCRIPT, '--input', path.join(FIXTURES, 'clean.json'), '--out', path.join(scratch, 'clean.figures.json')],
      { encoding: 'utf8' },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^npm-audit: 120 production packages audited; 0 advisories/);
  });
});
