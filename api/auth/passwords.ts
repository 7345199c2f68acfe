import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum settings: 19 MiB, 2 passes.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Without a stored hash still spend the time, so response times do not reveal which emails exist.
  if (!stored) {
    await hash(password, OPTIONS);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
