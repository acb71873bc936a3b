/**
 * The Code Analyzer gate (issue #8): Salesforce Code Analyzer's PMD rules, the ones AppExchange
 * security review applies, over what force-app/ ships. No finding of severity 1–2 even with every
 * suppression lifted; every lower finding fixed, or suppressed next to the code with a reason.
 * Writes its figures to results/gates/code-analyzer.json. One analyzer run (one JVM) covers
 * force-app/, a copy of it with the suppressions made inert (the count before suppression) and an
 * insecure fixture (the gate must catch it): about 10 s.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { FORCE_APP, REPO, sourceFiles } = require('./lib/forceApp');
const {
  RULE_SELECTORS,
  analyze,
  bySeverity,
  byRule,
  suppressions,
  withoutSuppressions,
  copyWithoutSuppressions,
} = require('./lib/codeAnalyzer');

const FIXTURE = path.join(__dirname, 'fixtures', 'code-analyzer');
const FIXTURE_CLASS = path.join(FIXTURE, 'classes', 'InsecureAccountSearch.cls');
const RESULTS = path.join(REPO, 'results', 'gates', 'code-analyzer.json');

const rel = (file) => path.relative(REPO, file);
const apex = (file) => /\.(cls|trigger)$/.test(file);

describe('Salesforce Code Analyzer gate (PMD, AppExchange security rules)', () => {
  const shipped = sourceFiles();
  let scratch;
  let run;
  let seconds;
  /** Findings per tree, files made relative to the tree's root (so the copy's match the original's). */
  const findings = {};

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-code-analyzer-'));
    const trees = {
      forceApp: FORCE_APP,
      forceAppUnsuppressed: path.join(scratch, 'force-app'),
      fixture: FIXTURE,
      fixtureUnsuppressed: path.join(scratch, 'fixture'),
    };
    const fixtureFiles = fs.readdirSync(path.join(FIXTURE, 'classes')).map((f) => path.join(FIXTURE, 'classes', f));
    const copies = [
      ...copyWithoutSuppressions(shipped, FORCE_APP, trees.forceAppUnsuppressed),
      ...copyWithoutSuppressions(fixtureFiles, FIXTURE, trees.fixtureUnsuppressed),
    ];
    const started = Date.now();
    run = await analyze({
      workspace: [FORCE_APP, FIXTURE, scratch],
      targets: [...shipped, ...fixtureFiles, ...copies],
    });
    seconds = (Date.now() - started) / 1000;
    for (const [name, root] of Object.entries(trees)) {
      findings[name] = run.violations
        .filter((v) => v.file.startsWith(root + path.sep))
        .map((v) => ({ ...v, file: path.relative(root, v.file) }));
    }
  }, 180000);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  const key = (v) => `${v.rule}|${v.file}|${v.line}`;
  /** What the suppressions in the tree took away: in the unsuppressed copy, not in the tree. */
  const suppressedIn = (tree) => {
    const kept = new Set(findings[tree].map(key));
    return findings[`${tree}Unsuppressed`].filter((v) => !kept.has(key(v)));
  };

  it('runs every PMD rule for Apex and metadata, the AppExchange security rules among them, over what ships', () => {
    const names = run.rules.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ApexSOQLInjection',
        'ApexCRUDViolation',
        'ApexSharingViolations',
        'ApexXSSFromURLParam',
        'ApexOpenRedirect',
        'ApexInsecureEndpoint',
        'ApexSuggestUsingNamedCred',
        'AvoidHardcodedCredentialsInHttpHeader',
        'AvoidLwcBubblesComposedTrue',
        'ProtectSensitiveData',
      ]),
    );
    expect(run.rules.filter((r) => r.tags.includes('AppExchange')).length).toBeGreaterThanOrEqual(25);
    expect(run.rules.length).toBeGreaterThanOrEqual(100);
    // Every shipped file was a target: the Apex, the triggers, the XML metadata, the components.
    const scanned = run.files.filter((f) => f.startsWith(FORCE_APP + path.sep));
    expect(scanned.sort()).toEqual([...shipped].sort());
    expect(shipped.filter(apex).length).toBeGreaterThanOrEqual(17);
  });

  it('finds nothing of severity 1 or 2 in force-app, even with every suppression lifted', () => {
    const serious = findings.forceAppUnsuppressed.filter((v) => v.severity <= 2);
    expect(serious).toEqual([]);
  });

  it('leaves no finding in force-app that is neither fixed nor suppressed', () => {
    expect(findings.forceApp).toEqual([]);
  });

  it('has a reason next to every suppression in force-app, and each suppressed finding is under one', () => {
    const markers = {};
    for (const file of shipped.filter(apex)) {
      const { found, problems } = suppressions(fs.readFileSync(file, 'utf8'));
      expect({ file: rel(file), problems }).toEqual({ file: rel(file), problems: [] });
      markers[path.relative(FORCE_APP, file)] = found;
    }
    for (const v of suppressedIn('forceApp')) {
      const here = markers[v.file] || [];
      const covered =
        here.some((m) => m.kind === 'NOPMD' && m.line === v.line && m.reason.startsWith(`${v.rule}:`)) ||
        here.some((m) => m.kind === '@SuppressWarnings' && m.rules.includes(v.rule));
      expect({ finding: key(v), covered }).toEqual({ finding: key(v), covered: true });
    }
  });

  it('catches the insecure fixture: SOQL injection, CRUD and sharing violations (the gate can fail)', () => {
    const fixture = findings.fixture.filter((v) => v.rule !== 'ApexDoc');
    expect(fixture.map((v) => [v.rule, v.severity, v.line]).sort()).toEqual(
      [
        ['ApexCRUDViolation', 2, 10],
        ['ApexSOQLInjection', 2, 6],
        ['ApexSharingViolations', 3, 2],
      ].sort(),
    );
    // PMD honours a bare `// NOPMD` (line 14 hides a CRUD violation and an unbounded query), which is why the gate's own
    // check must refuse one without a reason.
    const hidden = suppressedIn('fixture');
    expect(hidden.map((v) => [v.rule, v.line])).toEqual(expect.arrayContaining([['ApexCRUDViolation', 14]]));
    expect(new Set(hidden.map((v) => v.line))).toEqual(new Set([14]));
    expect(suppressions(fs.readFileSync(FIXTURE_CLASS, 'utf8')).problems).toEqual([
      { line: 14, problem: expect.stringMatching(/^NOPMD without a reason/) },
    ]);
  });

  it('refuses a suppression that gives no reason (the check can fail)', () => {
    const problems = (src) => suppressions(src).problems.map((p) => p.problem);
    expect(problems('Integer i = [SELECT COUNT() FROM Account]; // NOPMD\n')).toEqual([
      expect.stringMatching(/^NOPMD without a reason/),
    ]);
    expect(problems('x(); // NOPMD - ok\n')).toEqual([expect.stringMatching(/^NOPMD without a reason/)]);
    expect(problems('x(); // NOPMD - AvoidDebugStatements: the failure path only, for the admin\n')).toEqual([]);
    expect(problems("@SuppressWarnings('PMD.ExcessiveParameterList')\nvoid m() {}")).toEqual([
      expect.stringMatching(/without a \/\/ comment/),
    ]);
    expect(problems("// ExcessiveParameterList\n@SuppressWarnings('PMD.ExcessiveParameterList')\nvoid m() {}")).toEqual(
      [expect.stringMatching(/gives no reason/)],
    );
    expect(
      problems(
        "// ExcessiveParameterList: the component passes them by name.\n@SuppressWarnings('PMD.ExcessiveParameterList, PMD.AvoidBooleanMethodParameters')\nvoid m() {}",
      ),
    ).toEqual([expect.stringMatching(/does not name AvoidBooleanMethodParameters/)]);
    expect(
      problems(
        "// ExcessiveParameterList: the component passes them by name.\n@SuppressWarnings('PMD.ExcessiveParameterList')\nvoid m() {}",
      ),
    ).toEqual([]);
    // Not suppressions: other annotations' text, or the word in a string.
    expect(problems("@SuppressWarnings('unchecked')\nString s = 'NOPMD';")).toEqual([]);
    // The copy that counts findings before suppression keeps every line where it was.
    const src =
      "// A, B: why\n@SuppressWarnings('PMD.A, PMD.B')\nclass C { void m() {} // NOPMD - A: reason enough here\n}";
    expect(withoutSuppressions(src)).toBe(
      "// A, B: why\n@SuppressWarnings('none')\nclass C { void m() {} // NO_PMD - A: reason enough here\n}",
    );
  });

  it('writes its figures to results/gates/code-analyzer.json', () => {
    const before = findings.forceAppUnsuppressed;
    const suppressed = suppressedIn('forceApp');
    const markers = shipped
      .filter(apex)
      .flatMap((file) =>
        suppressions(fs.readFileSync(file, 'utf8')).found.map((m) => ({ file: path.relative(REPO, file), ...m })),
      );
    const figures = {
      gate: 'Salesforce Code Analyzer (PMD engine) over force-app',
      engine: `@salesforce/code-analyzer-core ${run.coreVersion}, PMD engine (PMD 7, jars in the npm package)`,
      selectors: RULE_SELECTORS,
      rulesRun: run.rules.length,
      appExchangeRules: run.rules.filter((r) => r.tags.includes('AppExchange')).length,
      filesScanned: shipped.length,
      apexFilesScanned: shipped.filter(apex).length,
      runSeconds: Math.round(seconds * 10) / 10,
      beforeSuppression: { total: before.length, bySeverity: bySeverity(before), byRule: byRule(before) },
      suppressedWithReason: {
        total: suppressed.length,
        bySeverity: bySeverity(suppressed),
        byRule: byRule(suppressed),
        markers,
      },
      remaining: { total: findings.forceApp.length, bySeverity: bySeverity(findings.forceApp) },
      fixtureCaught: byRule(findings.fixture.filter((v) => v.rule !== 'ApexDoc')),
      failed: findings.forceApp.length + before.filter((v) => v.severity <= 2).length,
    };
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, `${JSON.stringify(figures, null, 2)}\n`);
    const sev = figures.beforeSuppression.bySeverity;
    process.stdout.write(
      `code-analyzer: ${figures.rulesRun} rules over ${figures.filesScanned} files in ${figures.runSeconds} s; ` +
        `before suppression ${before.length} (sev1 ${sev[1]}, sev2 ${sev[2]}, sev3 ${sev[3]}, sev4 ${sev[4]}, sev5 ${sev[5]}); ` +
        `suppressed with a reason ${suppressed.length}; remaining ${figures.remaining.total}\n`,
    );
    expect(suppressed.length + findings.forceApp.length).toBe(before.length);
  });
});
