import { z } from 'zod';

// Unset and empty variables both mean "use the default" (compose files often pass `VAR=`).
const blankAsUnset = (v: unknown) => (v === '' ? undefined : v);

const schema = z.object({
  VOICE_GATEWAY_PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65_535).default(8080)),
  VOICE_GATEWAY_HOST: z.preprocess(blankAsUnset, z.string().min(1).default('0.0.0.0')),
  /** Where transcripts will be posted once speech handling exists; validated now so deploys fail early. */
  API_URL: z.preprocess(blankAsUnset, z.url().default('http://127.0.0.1:8000')),
});

export type VoiceGatewayConfig = z.infer<typeof schema>;

/** The voice gateway's only reader of process.env. */
export function loadVoiceGatewayConfig(env: NodeJS.ProcessEnv = process.env): VoiceGatewayConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid voice gateway configuration: ${fields}`);
  }
  return parsed.data;
}
