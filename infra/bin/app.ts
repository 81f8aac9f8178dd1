/** The CDK app: one stack; memory, timeout and prefix come from context (`cdk deploy -c memoryMb=3538`). */
import { App } from 'aws-cdk-lib';
import { LambdastarStack } from '../lib/lambdastar-stack.js';

const app = new App();
const num = (key: string) => {
  const v = app.node.tryGetContext(key) as string | number | undefined;
  return v === undefined ? undefined : Number(v);
};
new LambdastarStack(app, 'Lambdastar', {
  memoryMb: num('memoryMb'),
  timeoutSeconds: num('timeoutSeconds'),
  sweepsPrefix: app.node.tryGetContext('sweepsPrefix') as string | undefined,
});
