/** SDK failures that no retry of a task can fix: missing credentials, an endpoint that cannot be reached. */

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What is wrong with the environment, in words with the fix, or undefined for any other error. */
export function awsEnvironmentProblem(err: unknown, service: string): string | undefined {
  const e = (err ?? {}) as { name?: string; code?: string; message?: string };
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/.test(e.message ?? '')) {
    return `no AWS credentials found for ${service}; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  if (/Region is missing/i.test(e.message ?? '')) return `no AWS region set for ${service}; pass --region or set AWS_REGION`;
  if (e.code !== undefined && UNREACHABLE.has(e.code)) {
    return `cannot reach ${service} (${e.code}); check the network, the region and any AWS_ENDPOINT_URL_* variable`;
  }
  return undefined;
}
