import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Messages, type Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { ComponentSet, type DeployMessage, type MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.deploy');

export const PERMISSION_SETS = ['Closeloop_User', 'Closeloop_Admin', 'Closeloop_Manager'] as const;
const NAMED_CREDENTIAL = 'Closeloop_Backend';
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
/** Where the README says which components go on which pages. */
const README_PAGES = 'README.md, "Deploy it", steps 4 and 5 (#deploy-it)';

export type ComponentFailure = {
  type: string;
  name: string;
  problem: string;
  file: string | null;
  line: number | null;
};

export interface Assignment {
  username: string;
  permissionSet: string;
  status: 'assigned' | 'already assigned';
}

export interface DeployCommandResult {
  dryRun: boolean;
  deployId: string;
  status: string;
  componentsDeployed: number;
  componentsTotal: number;
  namedCredentialUrl: string;
  assignments: Assignment[];
  nextSteps: string[];
}

/** The backend's base URL for the Named Credential: https, or http only to this machine. */
export function checkBackendUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw messages.createError('error.BadBackendUrl', [raw]);
  }
  const local = url.protocol === 'http:' && LOOPBACK.test(url.hostname);
  if (url.protocol !== 'https:' && !local) throw messages.createError('error.BadBackendUrl', [raw]);
  if (url.pathname !== '/' || url.search || url.hash) throw messages.createError('error.BackendUrlPath', [raw]);
  return url.origin;
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The Named Credential's XML with its URL parameter (or a legacy <endpoint>) set to `url`. */
export function withBackendUrl(xml: string, url: string): string {
  let replaced = false;
  let out = xml.replace(/<namedCredentialParameters>[\s\S]*?<\/namedCredentialParameters>/g, (block) => {
    if (!/<parameterType>\s*Url\s*<\/parameterType>/.test(block)) return block;
    replaced = true;
    return block.replace(
      /<parameterValue>[\s\S]*?<\/parameterValue>/,
      `<parameterValue>${xmlEscape(url)}</parameterValue>`,
    );
  });
  if (!replaced && /<endpoint>[\s\S]*?<\/endpoint>/.test(out)) {
    replaced = true;
    out = out.replace(/<endpoint>[\s\S]*?<\/endpoint>/, `<endpoint>${xmlEscape(url)}</endpoint>`);
  }
  if (!replaced) throw messages.createError('error.NoUrlElement', [NAMED_CREDENTIAL]);
  return out;
}

/** Every file under `dir` whose name is `name`. */
async function findFile(dir: string, name: string): Promise<string | null> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = await findFile(full, name);
      if (found) return found;
    } else if (entry.name === name) return full;
  }
  return null;
}

const soqlList = (values: string[]) =>
  values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export default class Deploy extends SfCommand<DeployCommandResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    'backend-url': Flags.custom<string>({ parse: (input) => Promise.resolve(checkBackendUrl(input)) })({
      required: true,
      summary: messages.getMessage('flags.backend-url.summary'),
    }),
    'source-dir': Flags.directory({
      char: 'd',
      default: 'force-app',
      summary: messages.getMessage('flags.source-dir.summary'),
    }),
    'assign-to': Flags.string({ char: 'u', multiple: true, summary: messages.getMessage('flags.assign-to.summary') }),
    'permission-set': Flags.string({
      multiple: true,
      options: [...PERMISSION_SETS],
      default: ['Closeloop_User'],
      summary: messages.getMessage('flags.permission-set.summary'),
    }),
    'test-level': Flags.option({
      options: ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'] as const,
      summary: messages.getMessage('flags.test-level.summary'),
    })(),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    wait: Flags.duration({
      char: 'w',
      unit: 'minutes',
      min: 1,
      default: Duration.minutes(33),
      summary: messages.getMessage('flags.wait.summary'),
    }),
  };

  public async run(): Promise<DeployCommandResult> {
    const { flags } = await this.parse(Deploy);
    const dryRun = flags['dry-run'] === true;
    const connection = flags['target-org'].getConnection(flags['api-version']);
    const sourceDir = path.resolve(flags['source-dir']);
    if (!(await stat(sourceDir).catch(() => null))?.isDirectory())
      throw messages.createError('error.NoSourceDir', [sourceDir]);
    const usernames = [...new Set(flags['assign-to'] ?? [])];
    const users = usernames.length > 0 ? await this.findUsers(connection, usernames) : new Map<string, string>();

    const status = await this.deploy(connection, sourceDir, flags['backend-url'], {
      dryRun,
      testLevel: flags['test-level'],
      waitMs: flags.wait.milliseconds,
    });

    const assignments = dryRun ? [] : await this.assign(connection, users, [...new Set(flags['permission-set'])]);
    const nextSteps = [
      messages.getMessage('next.token'),
      messages.getMessage('next.pages', [README_PAGES]),
      messages.getMessage('next.status', [flags['target-org'].getUsername() ?? '<org>']),
    ];
    if (dryRun) this.logSuccess(messages.getMessage('dryRun.done', [status.numberComponentsTotal]));
    else {
      this.logSuccess(messages.getMessage('deploy.done', [status.numberComponentsDeployed, flags['backend-url']]));
      this.log(messages.getMessage('next.header'));
      nextSteps.forEach((step, i) => this.log(`  ${i + 1}. ${step}`));
    }
    return {
      dryRun,
      deployId: status.id,
      status: status.status,
      componentsDeployed: status.numberComponentsDeployed,
      componentsTotal: status.numberComponentsTotal,
      namedCredentialUrl: flags['backend-url'],
      assignments,
      nextSteps,
    };
  }

  /** Username → User Id; an unknown or inactive user stops the command before anything is deployed. */
  private async findUsers(connection: Connection, usernames: string[]): Promise<Map<string, string>> {
    const found = await connection.query<{ Id: string; Username: string; IsActive: boolean }>(
      `SELECT Id, Username, IsActive FROM User WHERE Username IN (${soqlList(usernames)})`,
    );
    const byName = new Map(found.records.map((u) => [u.Username.toLowerCase(), u]));
    const unknown = usernames.filter((u) => !byName.get(u.toLowerCase())?.IsActive);
    if (unknown.length > 0) throw messages.createError('error.UnknownUsers', [unknown.join(', ')]);
    return new Map(usernames.map((u) => [u, (byName.get(u.toLowerCase()) as { Id: string }).Id]));
  }

  private async deploy(
    connection: Connection,
    sourceDir: string,
    backendUrl: string,
    options: { dryRun: boolean; testLevel?: string; waitMs: number },
  ): Promise<MetadataApiDeployStatus> {
    // The Named Credential's URL is set in a copy: the project's source stays as it is.
    const workDir = await mkdtemp(path.join(tmpdir(), 'closeloop-deploy-'));
    const copy = path.join(workDir, path.basename(sourceDir));
    try {
      await cp(sourceDir, copy, { recursive: true });
      const credential = await findFile(copy, `${NAMED_CREDENTIAL}.namedCredential-meta.xml`);
      if (!credential) throw messages.createError('error.NoNamedCredential', [NAMED_CREDENTIAL, sourceDir]);
      await writeFile(credential, withBackendUrl(await readFile(credential, 'utf8'), backendUrl));

      const components = ComponentSet.fromSource(copy);
      this.spinner.start(messages.getMessage(options.dryRun ? 'dryRun.spinner' : 'deploy.spinner', [components.size]));
      // RunSpecifiedTests runs Closeloop's own test classes (what production needs, and no more).
      const runTests =
        options.testLevel === 'RunSpecifiedTests'
          ? components
              .getSourceComponents()
              .toArray()
              .filter((c) => c.type.name === 'ApexClass' && /Test$/.test(c.fullName))
              .map((c) => c.fullName)
          : undefined;
      const deploy = await components.deploy({
        usernameOrConnection: connection,
        apiOptions: {
          checkOnly: options.dryRun,
          ...(options.testLevel ? { testLevel: options.testLevel } : {}),
          ...(runTests ? { runTests } : {}),
        },
      } as Parameters<ComponentSet['deploy']>[0]);
      deploy.onUpdate((s) => {
        this.spinner.status = messages.getMessage('deploy.progress', [
          s.status,
          s.numberComponentsDeployed,
          s.numberComponentsTotal,
          s.numberTestsCompleted,
          s.numberTestsTotal,
        ]);
      });
      const result = await deploy.pollStatus({ timeout: Duration.milliseconds(options.waitMs) });
      const status = result.response;
      this.spinner.stop(status.status);
      if (!status.success) this.fail(status);
      return status;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** The component errors in a table, then an error (exit code 1). */
  private fail(status: MetadataApiDeployStatus): never {
    const failures: ComponentFailure[] = asArray<DeployMessage>(status.details?.componentFailures).map((f) => ({
      type: f.componentType ?? '-',
      name: f.fullName,
      problem: f.problem ?? '-',
      file: f.fileName ?? null,
      line: f.lineNumber ? Number(f.lineNumber) : null,
    }));
    if (failures.length > 0) {
      this.table({
        title: messages.getMessage('failed.header', [failures.length]),
        data: failures.map((f) => ({
          Type: f.type,
          Name: f.name,
          Problem: f.problem,
          Where: f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '-',
        })),
      });
    }
    const why = status.errorMessage ?? failures.map((f) => `${f.type} ${f.name}: ${f.problem}`).join('; ');
    const error = messages.createError('error.DeployFailed', [status.id, status.status, why || 'no reason given']);
    error.setData({ deployId: status.id, status: status.status, failures });
    error.exitCode = 1;
    throw error;
  }

  private async assign(connection: Connection, users: Map<string, string>, sets: string[]): Promise<Assignment[]> {
    if (users.size === 0) return [];
    const found = await connection.query<{ Id: string; Name: string }>(
      `SELECT Id, Name FROM PermissionSet WHERE Name IN (${soqlList(sets)})`,
    );
    const setIds = new Map(found.records.map((p) => [p.Name, p.Id]));
    const missing = sets.filter((s) => !setIds.has(s));
    if (missing.length > 0) throw messages.createError('error.NoPermissionSet', [missing.join(', ')]);
    const existing = await connection.query<{ AssigneeId: string; PermissionSetId: string }>(
      `SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId IN (${soqlList([
        ...users.values(),
      ])}) AND PermissionSetId IN (${soqlList([...setIds.values()])})`,
    );
    const has = new Set(existing.records.map((a) => `${a.AssigneeId}:${a.PermissionSetId}`));

    const assignments: Assignment[] = [];
    const toInsert: Array<{ username: string; permissionSet: string; AssigneeId: string; PermissionSetId: string }> =
      [];
    for (const [username, userId] of users) {
      for (const permissionSet of sets) {
        const setId = setIds.get(permissionSet) as string;
        if (has.has(`${userId}:${setId}`)) assignments.push({ username, permissionSet, status: 'already assigned' });
        else toInsert.push({ username, permissionSet, AssigneeId: userId, PermissionSetId: setId });
      }
    }
    const refused: string[] = [];
    for (let i = 0; i < toInsert.length; i += 200) {
      const chunk = toInsert.slice(i, i + 200);
      const results = await connection.sobject('PermissionSetAssignment').create(
        chunk.map(({ AssigneeId, PermissionSetId }) => ({ AssigneeId, PermissionSetId })),
        { allOrNone: false },
      );
      chunk.forEach((a, j) => {
        const r = results[j];
        const errors = r && !r.success ? r.errors : [];
        // Assigned meanwhile (or by a query this user cannot see): the end state is what was asked.
        const duplicate = errors.some((e) => e.errorCode === 'DUPLICATE_VALUE' || /duplicate/i.test(e.message));
        if (r?.success) assignments.push({ username: a.username, permissionSet: a.permissionSet, status: 'assigned' });
        else if (duplicate)
          assignments.push({ username: a.username, permissionSet: a.permissionSet, status: 'already assigned' });
        else
          refused.push(
            `${a.permissionSet} to ${a.username}: ${errors.map((e) => e.message).join('; ') || 'no answer'}`,
          );
      });
    }
    if (assignments.length > 0) {
      this.table({
        title: messages.getMessage('assign.header'),
        data: assignments.map((a) => ({ User: a.username, 'Permission set': a.permissionSet, Status: a.status })),
      });
    }
    if (refused.length > 0) throw messages.createError('error.AssignFailed', [refused.join('\n')]);
    return assignments;
  }
}
