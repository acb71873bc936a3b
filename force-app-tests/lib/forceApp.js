/**
 * Offline checks of an SFDX source tree, as plain functions so the tests can run them both on
 * force-app/ (must pass) and on deliberately broken copies (must fail).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

// @salesforce/core (under source-deploy-retrieve) would otherwise write a log file under $HOME.
process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_DISABLE_TELEMETRY = 'true';

const { ApexParserFactory, ApexErrorListener } = require('@apexdevtools/apex-parser');
const { XMLParser, XMLValidator } = require('fast-xml-parser');
const { ComponentSet, MetadataConverter, ForceIgnore } = require('@salesforce/source-deploy-retrieve');

const REPO = path.resolve(__dirname, '..', '..');
const FORCE_APP = path.join(REPO, 'force-app');

/** Every file under dir, recursively, as absolute paths, sorted. */
function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}

/** The files of force-app/ that are Salesforce source, i.e. not excluded by the repo's .forceignore. */
function sourceFiles(root = FORCE_APP, forceIgnorePath = path.join(REPO, '.forceignore')) {
  const ignore = new ForceIgnore(forceIgnorePath);
  return listFiles(root).filter((file) => ignore.accepts(file));
}

class CollectingListener extends ApexErrorListener {
  constructor() {
    super();
    this.errors = [];
  }

  apexSyntaxError(line, column, message) {
    this.errors.push({ line, column, message: String(message).slice(0, 200) });
  }
}

/** Syntax errors of an Apex class ('class') or trigger ('trigger'): [] when it parses. */
function apexSyntaxErrors(source, kind = 'class') {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  if (kind === 'trigger') parser.triggerUnit();
  else parser.compilationUnit();
  return listener.errors;
}

/** null when the text is well-formed XML, else the parser's message with line and column. */
function xmlError(text) {
  const result = XMLValidator.validate(text);
  if (result === true) return null;
  return `${result.err.msg} (line ${result.err.line}, column ${result.err.col})`;
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) =>
    [
      'value',
      'fieldPermissions',
      'objectPermissions',
      'classAccesses',
      'customPermissions',
      'externalCredentialParameters',
      'namedCredentialParameters',
      'externalCredentialPrincipalAccesses',
      'target',
      'targetConfig',
      'property',
      'object',
    ].includes(name),
});

/** The parsed XML document (attributes as '@_name', text values as strings). */
function readXml(file) {
  return xmlParser.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Converts a source tree to the Metadata API format offline (what `sf project deploy` sends) and
 * reports the source files that no component claimed: SDR drops such files silently (a .cls
 * without its -meta.xml, a field file in the wrong folder), so a deploy would miss them.
 */
async function convertSource(root = FORCE_APP, forceIgnorePath = path.join(REPO, '.forceignore')) {
  const set = ComponentSet.fromSource(root);
  const components = set.getSourceComponents().toArray();
  const claimed = new Set();
  for (const component of components) {
    if (component.xml) claimed.add(path.resolve(component.xml));
    if (component.content) {
      const content = path.resolve(component.content);
      if (fs.statSync(content).isDirectory()) listFiles(content).forEach((f) => claimed.add(f));
      else claimed.add(content);
    }
  }
  const unclaimed = sourceFiles(root, forceIgnorePath).filter((file) => !claimed.has(file));

  const outputDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-mdapi-'));
  try {
    await new MetadataConverter().convert(set, 'metadata', { type: 'directory', outputDirectory, genUniqueDir: false });
    const packageXml = xmlParser.parse(fs.readFileSync(path.join(outputDirectory, 'package.xml'), 'utf8'));
    const types = [].concat(packageXml.Package.types).map((t) => ({ name: t.name, members: [].concat(t.members) }));
    const output = listFiles(outputDirectory).map((f) => path.relative(outputDirectory, f));
    return { components, unclaimed, types, output };
  } finally {
    fs.rmSync(outputDirectory, { recursive: true, force: true });
  }
}

module.exports = { REPO, FORCE_APP, listFiles, sourceFiles, apexSyntaxErrors, xmlError, readXml, convertSource };
