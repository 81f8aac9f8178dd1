// `node --import ./test/helpers/module-trace.mjs …`: appends the URL of every module the program
// imports to the file named by LAMBDASTAR_MODULE_TRACE (what a command loads, not how long it takes).
import { register } from 'node:module';

register('./module-trace-hooks.mjs', import.meta.url);
