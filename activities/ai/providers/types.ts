/** The provider-neutral shape of a chat completion: what the agent pipeline needs, nothing more. */
export interface ToolCall {
  id: string;
  name: string;
  /** The model's JSON arguments, unparsed: they are untrusted input. */
  arguments: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  toolCallId?: string;
  toolCalls?: ToolCall[];
}

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  model?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  /** Called with each text delta when the provider streams. */
  onDelta?: (text: string) => void;
  /** Aborts the call, e.g. when the activity running it is cancelled. */
  signal?: AbortSignal;
}

export interface ChatResult {
  provider: string;
  model: string;
  content: string | null;
  toolCalls: ToolCall[];
  usage: { promptTokens: number; completionTokens: number };
}

export interface LlmProvider {
  readonly name: string;
  chat(req: ChatRequest): Promise<ChatResult>;
}

/**
 * A provider call that failed after the SDK's own bounded retries. `retryable` is false for
 * errors no retry can fix (bad key, bad request), so callers fail fast instead of looping.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Client errors no retry can fix; anything else (429, 5xx, a network failure) may pass. */
const NOT_RETRYABLE = new Set([400, 401, 403, 404, 422]);

/** Maps an SDK error (OpenAI's and Groq's carry `status`) to a ProviderError labelled for logs. */
export function providerErrorFrom(provider: string, label: string, err: unknown): ProviderError {
  const status = (err as { status?: number }).status;
  return new ProviderError(provider, `${label}: ${(err as Error).message ?? String(err)}`, status === undefined || !NOT_RETRYABLE.has(status), status);
}
