/**
 * Starts `npm run demo`'s program (server/dist/demo/main.js) as a child process on a free port
 * with its data in a temporary folder, and reads the Preview URL it prints.
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.join(__dirname, '../../..');
const PREVIEW_LINE = /^Preview: (http:\/\/\S+\/preview\/#token=(\S+))/m;

async function startDemo({ timeoutMs = 150000 } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'closeloop-preview-'));
  const child = spawn(process.execPath, [path.join(REPO, 'server/dist/demo/main.js')], {
    cwd: REPO,
    env: { ...process.env, PORT: '0', CLOSELOOP_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no Preview URL in time:\n${output}`)), timeoutMs);
    const check = () => {
      const found = PREVIEW_LINE.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before printing its Preview URL:\n${output}`));
    });
  });
  const url = match[1];
  const token = match[2];
  return {
    url,
    token,
    origin: new URL(url).origin,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startDemo };
