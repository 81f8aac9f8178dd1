// The resolve hook behind module-trace.mjs (it runs on the loader's own thread).
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.LAMBDASTAR_MODULE_TRACE) appendFileSync(process.env.LAMBDASTAR_MODULE_TRACE, `${resolved.url}\n`);
  return resolved;
}
