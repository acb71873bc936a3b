/**
 * Salesforce Code Analyzer (code-analyzer-core with its PMD engine, the PMD 7 jars ship inside the
 * npm package) run from Node, as plain functions so the gate can run it over force-app/ (must be
 * clean) and over deliberately insecure Apex (must be caught). Needs `java` 17+ on the PATH.
 */
const fs = require('fs');
const path = require('path');

const { CodeAnalyzer, CodeAnalyzerConfig } = require('@salesforce/code-analyzer-core');
const { createEnginePlugin } = require('@salesforce/code-analyzer-pmd-engine');

/**
 * Every PMD rule the analyzer offers for Apex and metadata: the Recommended and Security sets, the
 * AppExchange rules a security review applies (Apex, XML metadata, Aura markup, LWC events), and
 * the remaining Apex and XML rules. A union: a rule matched by several selectors runs once.
 */
const RULE_SELECTORS = ['pmd:Recommended', 'pmd:Security', 'pmd:AppExchange', 'pmd:Apex', 'pmd:XML'];

/**
 * PMD runs in one short-lived JVM: the client compiler alone halves its time on a small tree
 * (about 16 s → 8 s here). Given as the engine's java_command (a wrapper around `java` from the
 * PATH), since the engine spawns java with the Node process's own environment, which a jest test
 * cannot change.
 */
const JAVA_COMMAND = path.join(__dirname, 'java-fast-start');

/**
 * Runs the selected rules over the targeted files of a workspace (folders and files; targets
 * default to all of them). Violations come back as plain objects, files as absolute paths.
 */
async function analyze({ workspace, targets, selectors = RULE_SELECTORS }) {
  const analyzer = new CodeAnalyzer(
    CodeAnalyzerConfig.fromObject({ engines: { pmd: { java_command: JAVA_COMMAND } } }),
  );
  await analyzer.addEnginePlugin(createEnginePlugin());
  const ws = await analyzer.createWorkspace(workspace, targets);
  const selection = await analyzer.selectRules(selectors, { workspace: ws });
  const rules = selection.getRulesFor('pmd').map((rule) => ({
    name: rule.getName(),
    severity: rule.getSeverityLevel(),
    tags: rule.getTags(),
  }));
  const results = await analyzer.run(selection, { workspace: ws });
  const violations = results.getViolations().map((violation) => {
    const at = violation.getPrimaryLocation();
    return {
      rule: violation.getRule().getName(),
      severity: violation.getRule().getSeverityLevel(),
      file: at.getFile(),
      line: at.getStartLine(),
      message: violation.getMessage().trim(),
    };
  });
  return { rules, files: await ws.getTargetedFiles(), violations, coreVersion: results.getCoreVersion() };
}

/** Counts per severity level 1 (critical) to 5 (info), as an object { '1': n, … }. */
function bySeverity(violations) {
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const v of violations) counts[v.severity] += 1;
  return counts;
}

/** Counts per rule name, sorted by name. */
function byRule(violations) {
  const counts = {};
  for (const v of [...violations].sort((a, b) => a.rule.localeCompare(b.rule)))
    counts[v.rule] = (counts[v.rule] || 0) + 1;
  return counts;
}

const NOPMD = /\bNOPMD\b(.*)$/;
const SUPPRESS = /@SuppressWarnings\s*\(\s*'([^']*)'\s*\)/i;
/** A reason: a dash, then at least a few words of text. */
const REASON = /^\s*-\s*(\S.{14,})$/;

/**
 * The suppressions in one Apex source, each with the reason written next to it, and the problems:
 * a `// NOPMD` must read `// NOPMD - <reason>` (PMD takes the text after the marker as the reason);
 * an `@SuppressWarnings('PMD.Rule, …')` must sit right under `//` comment lines that name each rule
 * it silences and say why.
 */
function suppressions(source) {
  const lines = source.split(/\r?\n/);
  const found = [];
  const problems = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    const marker = text.match(NOPMD);
    if (marker && /\/\/.*\bNOPMD\b/.test(text)) {
      const reason = marker[1].match(REASON);
      if (reason) found.push({ line, kind: 'NOPMD', rules: [], reason: reason[1].trim() });
      else problems.push({ line, problem: 'NOPMD without a reason: write // NOPMD - <why this does not apply>' });
    }
    const annotation = text.match(SUPPRESS);
    if (annotation && /\bPMD\b/.test(annotation[1])) {
      const rules = annotation[1]
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r.startsWith('PMD.'))
        .map((r) => r.slice(4));
      const comment = [];
      for (let i = index - 1; i >= 0 && /^\s*\/\//.test(lines[i]); i -= 1) {
        comment.unshift(lines[i].replace(/^\s*\/\/\s?/, ''));
      }
      const why = comment.join(' ').trim();
      const unnamed = rules.filter((rule) => !why.includes(rule));
      const words = rules
        .reduce((rest, rule) => rest.split(rule).join(''), why)
        .replace(/[\s,:.;-]+/g, ' ')
        .trim();
      if (!why) problems.push({ line, problem: `@SuppressWarnings without a // comment above it saying why` });
      else if (unnamed.length)
        problems.push({ line, problem: `the comment above does not name ${unnamed.join(', ')}` });
      else if (words.length < 15)
        problems.push({ line, problem: 'the comment above names the rules but gives no reason' });
      else found.push({ line, kind: '@SuppressWarnings', rules, reason: why });
    }
  });
  return { found, problems };
}

/**
 * The same source with every suppression made inert, line for line (so findings keep their line
 * numbers): what the analyzer reports on this copy is the count before suppression.
 */
function withoutSuppressions(source) {
  return source
    .replace(/\bNOPMD\b/g, 'NO_PMD')
    .replace(/(@SuppressWarnings\s*\(\s*')([^']*)('\s*\))/gi, (_m, open, _rules, close) => `${open}none${close}`);
}

/** Copies these files (absolute, under fromRoot) to toRoot, suppressions made inert in Apex. */
function copyWithoutSuppressions(files, fromRoot, toRoot) {
  return files.map((file) => {
    const target = path.join(toRoot, path.relative(fromRoot, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(target, /\.(cls|trigger)$/.test(file) ? withoutSuppressions(text) : text);
    return target;
  });
}

module.exports = {
  RULE_SELECTORS,
  JAVA_COMMAND,
  analyze,
  bySeverity,
  byRule,
  suppressions,
  withoutSuppressions,
  copyWithoutSuppressions,
};
