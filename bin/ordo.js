#!/usr/bin/env node
// ordo as users run it: the bundled program (scripts/bundle.mjs). From Node 22.1 on, the code V8 compiled
// is kept between runs (Node's compile cache, in the system's temporary folder; NODE_DISABLE_COMPILE_CACHE=1
// turns it off): a cron job that runs ordo every minute starts 1 440 times a day.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/bundle/cli.mjs');
await main(process.argv);
