#!/usr/bin/env node
// The CLI is bundled into dist/cli.js by `npm install` (the `prepare` script) or `npm run build`.
require('../dist/cli.js').runFromProcess();
