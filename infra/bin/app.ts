/** The CDK app: one stack; memory, timeout and prefix come from context (`cdk deploy -c memoryMb=3538`). */
// cdk runs the app from the folder holding cdk.json: the lambdastar checkout.
import { App } from 'aws-cdk-lib';
import { LambdastarStack } from '../lib/lambdastar-stack.js';

const app = new App();
const num = (key: string) => {
  const v = app.node.tryGetContext(key) as string | number | undefined;
  return v === undefined ? undefined : Number(v);
};
new LambdastarStack(app, 'Lambdastar', {
  projectRoot: process.cwd(),
  memoryMb: num('memoryMb'),
  timeoutSeconds: num('timeoutSeconds'),
  storePrefix: app.node.tryGetContext('storePrefix') as string | undefined,
});
