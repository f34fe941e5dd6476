#!/usr/bin/env node
'use strict';
// stdout carries only the conversation (CONTRACTS section 1): whatever a dependency prints with
// console.* goes to stderr instead. Our own output is written to process.stdout directly.
const { format } = require('node:util');
for (const name of ['log', 'info', 'debug', 'warn', 'trace']) {
  // eslint-disable-next-line no-console
  console[name] = (...args) => process.stderr.write(`${format(...args)}\n`);
}

let main;
try {
  ({ main } = require('../dist/src/cli/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main')) {
    process.stderr.write('coach: not built yet; run `npm run build` (npm ci does it for you)\n');
    process.exit(1);
  }
  throw err;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`coach: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
