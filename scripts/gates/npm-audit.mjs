#!/usr/bin/env node
/**
 * The npm audit gate (issue #8): `npm audit --omit=dev --json` over what ships (the dependencies of
 * the root and its workspaces, not their devDependencies). Fails on any high or critical advisory
 * that security/audit-exceptions.json does not list with a reason and a recent review date.
 * Writes results/gates/npm-audit.json and prints one line.
 *
 * Exit codes: 0 clean (or every high/critical finding excepted), 1 failing advisories or a bad
 * exceptions file, 2 the audit could not run (the registry does not answer audit requests, or npm
 * failed): never a pass.
 *
 *   node scripts/gates/npm-audit.mjs [--input audit.json] [--exceptions file] [--out file]
 *
 * --input reads a saved `npm audit --json` report instead of running npm (the gate's tests use it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'];
const BLOCKING = new Set(['high', 'critical']);
/** An exception is looked at again at least this often, or it stops counting. */
const REVIEW_DAYS = 180;

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : fallback;
}

const inputFile = option('--input', null);
const exceptionsFile = option('--exceptions', path.join(REPO, 'security', 'audit-exceptions.json'));
const outFile = option('--out', path.join(REPO, 'results', 'gates', 'npm-audit.json'));

/** Packages npm installs for production, from the lock file (what the audit covers). */
function packagesInScope() {
  const lockFile = path.join(REPO, 'package-lock.json');
  if (!existsSync(lockFile)) return null;
  const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
  return Object.entries(lock.packages || {}).filter(
    ([key, entry]) => key.includes('node_modules/') && !entry.dev && !entry.link,
  ).length;
}

/** The report as npm gives it, or { unavailable: reason }. */
function auditReport() {
  if (inputFile) return JSON.parse(readFileSync(inputFile, 'utf8'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['audit', '--omit=dev', '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 180000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) return { unavailable: `npm audit did not run: ${run.error.message}` };
  try {
    return JSON.parse(run.stdout);
  } catch {
    const said = `${run.stderr || ''}`.split('\n').find((line) => /error/i.test(line));
    return { unavailable: `npm audit printed no report (exit ${run.status})${said ? `: ${said.trim()}` : ''}` };
  }
}

/** Each advisory once (by its id), with the packages it was found in. */
function advisories(report) {
  const byId = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities || {})) {
    for (const via of vulnerability.via || []) {
      if (typeof via !== 'object' || via === null) continue;
      const id = String(via.source ?? via.url);
      const known = byId.get(id) || {
        id,
        url: via.url,
        title: via.title,
        severity: via.severity,
        package: via.name,
        range: via.range,
        foundIn: [],
      };
      if (!known.foundIn.includes(vulnerability.name)) known.foundIn.push(vulnerability.name);
      byId.set(id, known);
    }
  }
  return [...byId.values()].sort((a, b) => a.package.localeCompare(b.package) || a.id.localeCompare(b.id));
}

/**
 * The exceptions, those that count (valid), and what is wrong with the others: each needs package,
 * advisory, why, and a review date at most REVIEW_DAYS old.
 */
function readExceptions(today) {
  if (!existsSync(exceptionsFile)) return { exceptions: [], valid: [], problems: [] };
  const file = JSON.parse(readFileSync(exceptionsFile, 'utf8'));
  const exceptions = Array.isArray(file.exceptions) ? file.exceptions : [];
  const problems = [];
  const valid = [];
  for (const [i, e] of exceptions.entries()) {
    const before = problems.length;
    const where = `exception ${i + 1} (${e.package || '?'} ${e.advisory || '?'})`;
    if (!e.package || !e.advisory) problems.push(`${where}: needs package and advisory (id or url)`);
    if (!e.why || String(e.why).trim().length < 20) problems.push(`${where}: needs why, in a sentence`);
    const reviewed = Date.parse(e.reviewed);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.reviewed || '') || Number.isNaN(reviewed)) {
      problems.push(`${where}: needs reviewed as YYYY-MM-DD`);
    } else if ((today - reviewed) / 86400000 > REVIEW_DAYS) {
      problems.push(`${where}: last reviewed ${e.reviewed}, more than ${REVIEW_DAYS} days ago: review it again`);
    }
    if (problems.length === before) valid.push(e);
  }
  return { exceptions, valid, problems };
}

const matches = (exception, advisory) =>
  exception.package === advisory.package &&
  [advisory.id, advisory.url].filter(Boolean).map(String).includes(String(exception.advisory));

function write(figures) {
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(figures, null, 2)}\n`);
}

const today = Date.now();
const report = auditReport();
const inScope = packagesInScope();
/** npm's message without the registry's address (the figures are committed; the path says enough). */
const withoutHost = (text) => String(text).replace(/https?:\/\/[^/\s]+/g, '<registry>');
const unavailable = withoutHost(
  report.unavailable ||
    (report.error || report.message || !report.metadata
      ? `the registry did not answer the audit request: ${report.message || report.error?.summary || 'no report'}`
      : ''),
);

if (unavailable) {
  write({
    gate: 'npm audit --omit=dev',
    status: 'not run',
    reason: unavailable,
    packagesInScope: inScope,
    failed: null,
  });
  console.error(`npm-audit: NOT RUN: ${unavailable}. The gate cannot pass without an audit (exit 2).`);
  process.exit(2);
}

const found = advisories(report);
const { exceptions, valid, problems } = readExceptions(today);
const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, found.filter((a) => a.severity === s).length]));
const blocking = found.filter((a) => BLOCKING.has(a.severity));
const excepted = blocking
  .map((a) => ({ advisory: a, exception: valid.find((e) => matches(e, a)) }))
  .filter((x) => x.exception)
  .map(({ advisory, exception }) => ({ ...advisory, why: exception.why, reviewed: exception.reviewed }));
const failing = blocking.filter((a) => !valid.some((e) => matches(e, a)));
const unused = exceptions.filter((e) => !found.some((a) => matches(e, a)));

write({
  gate: 'npm audit --omit=dev',
  status: failing.length || problems.length ? 'failed' : 'passed',
  packagesAudited: report.metadata.dependencies?.prod ?? report.metadata.dependencies?.total ?? inScope,
  packagesInScope: inScope,
  advisories: found.length,
  advisoriesBySeverity: bySeverity,
  vulnerablePackagesBySeverity: report.metadata.vulnerabilities,
  excepted,
  failing,
  exceptionProblems: problems,
  unusedExceptions: unused.map((e) => `${e.package} ${e.advisory}`),
  failed: failing.length + problems.length,
});

const counts = SEVERITIES.map((s) => `${s} ${bySeverity[s]}`).join(', ');
console.log(
  `npm-audit: ${report.metadata.dependencies?.prod ?? inScope} production packages audited; ` +
    `${found.length} advisories (${counts}); ${excepted.length} high/critical excepted; ${failing.length} failing`,
);
for (const a of failing) console.error(`  ${a.severity} ${a.package} ${a.range || ''}: ${a.title} ${a.url || a.id}`);
for (const p of problems) console.error(`  ${p}`);
for (const e of unused) console.error(`  note: exception ${e.package} ${e.advisory} matches no advisory any more`);
process.exit(failing.length || problems.length ? 1 : 0);
