#!/usr/bin/env node
// hotserve's launcher. npm installs, beside this package, the one
// @hotserve/<os>-<cpu> package whose os and cpu fields fit this machine
// (they are optionalDependencies; there is no install script to fail behind
// a firewall or be skipped with --ignore-scripts). This runs its binary
// with the same arguments, passes signals on, and ends as the binary ended.
'use strict';
const { spawn } = require('child_process');
const { optionalDependencies, version } = require('../package.json');

// HOTSERVE_NPM_TEST_PLATFORM fakes the platform, for hotserve's own tests.
const platform = process.env.HOTSERVE_NPM_TEST_PLATFORM || `${process.platform}-${process.arch}`;
const pkg = `@hotserve/${platform}`;
const exe = platform.startsWith('win32-') ? 'hotserve.exe' : 'hotserve';

function fail(lines) {
  process.stderr.write(lines.map((l) => `hotserve: ${l}\n`).join(''));
  process.exit(1);
}

let bin;
try {
  bin = require.resolve(`${pkg}/bin/${exe}`);
} catch {
  const known = Object.keys(optionalDependencies).map((name) => name.replace('@hotserve/', ''));
  if (known.includes(platform)) {
    fail([`${pkg}, which holds the binary for this machine, is not installed: node_modules was`,
      'installed with --omit=optional (or --no-optional), or on another platform; run npm install here, without those flags.']);
  }
  fail([`no package for this platform (${platform}); there are packages for ${known.join(', ')}.`,
    `with Go 1.26 or later, install it instead: go install github.com/hotserve/hotserve/cmd/hotserve@v${version}`]);
}

const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit' });
// Ctrl-C reaches hotserve from the terminal itself, which signals the
// whole foreground group (on Windows, every process on the console);
// a kill aimed at this process alone is passed on. Windows has no signals
// to pass: child.kill would end hotserve before it stops its backend.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (process.platform !== 'win32') child.kill(signal);
  });
}
// npm (npx, npm run) starts this through `sh -c` and passes a kill on to
// that shell alone, which ends without passing it on: this and hotserve
// would run on, orphaned. So, started by npm, this takes the end of its
// parent as the signal to stop.
if (process.env.npm_lifecycle_event && process.platform !== 'win32') {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    child.kill('SIGTERM');
  }, 200).unref();
}
child.on('error', (err) => fail([`cannot run ${bin}: ${err.message}`]));
child.on('exit', (code, signal) => {
  if (signal) {
    // End the way hotserve ended, so that a shell sees the same status.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
