import OpenAI from 'openai';
import Groq from 'groq-sdk';
import { ChatCompletionsProvider } from './openai-compatible.js';
import { ProviderError, type ChatRequest, type ChatResult, type LlmProvider } from './types.js';

export interface ProviderSettings {
  kind: 'openai' | 'groq';
  apiKey: string;
  /** OpenAI-compatible servers (Ollama, vLLM, llama.cpp) and test servers. */
  baseUrl?: string;
  model?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

const DEFAULT_MODELS = { openai: 'gpt-4o-mini', groq: 'llama-3.3-70b-versatile' } as const;

export function createProvider(s: ProviderSettings): LlmProvider {
  const common = { apiKey: s.apiKey, timeout: s.timeoutMs ?? 30_000, maxRetries: s.maxRetries ?? 2 };
  if (s.kind === 'groq') {
    return new ChatCompletionsProvider('groq', new Groq({ ...common, ...(s.baseUrl && { baseURL: s.baseUrl }) }), s.model ?? DEFAULT_MODELS.groq);
  }
  return new ChatCompletionsProvider('openai', new OpenAI({ ...common, ...(s.baseUrl && { baseURL: s.baseUrl }) }), s.model ?? DEFAULT_MODELS.openai);
}

/** Tries the primary, then the fallback, unless the primary's failure is one a fallback cannot fix either. */
export function withFallback(primary: LlmProvider, fallback: LlmProvider): LlmProvider {
  return {
    name: `${primary.name}+${fallback.name}`,
    async chat(req: ChatRequest): Promise<ChatResult> {
      try {
        return await primary.chat(req);
      } catch (err) {
        if (err instanceof ProviderError && err.status === 400) throw err;
        return fallback.chat(req);
      }
    },
  };
}
