/**
 * The LWC ESLint gate (issue #8): ESLint's Node API with the repo's own config (eslint.config.mjs:
 * @salesforce/eslint-config-lwc and @lwc/eslint-plugin-lwc for force-app's components) over every
 * Lightning Web Component of the package, and over the preview's LWC modules when there are any.
 * No error and no warning. Writes its figures to results/gates/lwc-eslint.json.
 */
const fs = require('fs');
const path = require('path');
const { ESLint } = require('eslint');
const { REPO, listFiles } = require('./lib/forceApp');

const RESULTS = path.join(REPO, 'results', 'gates', 'lwc-eslint.json');
const PACKAGE_LWC = 'force-app/**/lwc/**/*.js';
const PREVIEW_MODULES = 'preview/src/modules/**/*.js';
const PREVIEW_DIR = path.join(REPO, 'preview', 'src', 'modules');

/** The rules a file is linted with (severity warn or error), by name. */
async function activeRules(eslint, file) {
  const config = await eslint.calculateConfigForFile(file);
  const level = (setting) => (Array.isArray(setting) ? setting[0] : setting);
  return Object.entries(config.rules || {})
    .filter(([, setting]) => ![0, 'off'].includes(level(setting)))
    .map(([name]) => name)
    .sort();
}

describe('LWC ESLint gate', () => {
  const eslint = new ESLint({ cwd: REPO });
  const previewPresent = fs.existsSync(PREVIEW_DIR) && listFiles(PREVIEW_DIR).some((f) => f.endsWith('.js'));
  const patterns = previewPresent ? [PACKAGE_LWC, PREVIEW_MODULES] : [PACKAGE_LWC];
  let results;

  beforeAll(async () => {
    results = await eslint.lintFiles(patterns);
  }, 120000);

  it('lints every component of the package with the Salesforce LWC rules', async () => {
    const linted = results.map((r) => path.relative(REPO, r.filePath));
    expect(linted.filter((f) => f.startsWith('force-app/')).length).toBeGreaterThanOrEqual(10);
    const component = linted.find((f) => /^force-app\/.*\/lwc\/(\w+)\/\1\.js$/.test(f));
    expect(await activeRules(eslint, component)).toEqual(
      expect.arrayContaining([
        '@lwc/lwc/no-api-reassignments',
        '@lwc/lwc/no-inner-html',
        '@lwc/lwc/no-document-query',
        '@lwc/lwc/valid-api',
        '@lwc/lwc/valid-wire',
        '@salesforce/lightning/valid-apex-method-invocation',
        'no-eval',
      ]),
    );
  });

  it('finds no error and no warning', () => {
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${path.relative(REPO, r.filePath)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('reports an unsafe component (the gate can fail)', async () => {
    const [probe] = await eslint.lintText(
      [
        "import { LightningElement, api } from 'lwc';",
        'export default class GateProbe extends LightningElement {',
        '    @api label;',
        '    connectedCallback() {',
        "        this.label = 'x';",
        "        this.template.querySelector('div').innerHTML = this.label;",
        '    }',
        '}',
        '',
      ].join('\n'),
      { filePath: path.join(REPO, 'force-app/main/default/lwc/gateProbe/gateProbe.js') },
    );
    expect(probe.messages.map((m) => [m.ruleId, m.severity])).toEqual([
      ['@lwc/lwc/no-api-reassignments', 2],
      ['@lwc/lwc/no-inner-html', 2],
    ]);
  });

  it('writes its figures to results/gates/lwc-eslint.json', async () => {
    const groups = {};
    for (const r of results) {
      const file = path.relative(REPO, r.filePath);
      const group = file.startsWith('preview/')
        ? 'preview modules'
        : file.includes('/__tests__/')
          ? 'package component tests'
          : 'package components';
      const rules = await activeRules(eslint, r.filePath);
      groups[group] = groups[group] || { files: 0, rulesActive: 0, lwcRulesActive: 0 };
      groups[group].files += 1;
      groups[group].rulesActive = Math.max(groups[group].rulesActive, rules.length);
      groups[group].lwcRulesActive = Math.max(
        groups[group].lwcRulesActive,
        rules.filter((name) => /^@(lwc|salesforce)\//.test(name)).length,
      );
    }
    const errors = results.reduce((n, r) => n + r.errorCount, 0);
    const warnings = results.reduce((n, r) => n + r.warningCount, 0);
    const figures = {
      gate: 'ESLint (eslint.config.mjs: @salesforce/eslint-config-lwc, @lwc/eslint-plugin-lwc) over the LWC sources',
      patterns,
      previewModules: previewPresent ? 'linted' : 'none yet (preview/src/modules has no .js file)',
      filesLinted: results.length,
      groups,
      problems: { errors, warnings },
      failed: results.filter((r) => r.errorCount + r.warningCount > 0).length,
    };
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, `${JSON.stringify(figures, null, 2)}\n`);
    const rules = Object.entries(groups)
      .map(([g, v]) => `${g} ${v.files} (${v.rulesActive} rules, ${v.lwcRulesActive} LWC)`)
      .join(', ');
    process.stdout.write(
      `lwc-eslint: ${results.length} files linted: ${rules}; ${errors} errors, ${warnings} warnings\n`,
    );
    expect(errors + warnings).toBe(0);
  });
});
