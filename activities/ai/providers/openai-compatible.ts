import OpenAI from 'openai';
import type Groq from 'groq-sdk';
import { ProviderError, providerErrorFrom, type ChatMessage, type ChatRequest, type ChatResult, type LlmProvider, type ToolCall } from './types.js';

/** The chat-completions surface OpenAI's and Groq's SDKs share. */
type CompletionsClient = Pick<OpenAI, 'chat'> | Pick<Groq, 'chat'>;

function toWire(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content ?? '' };
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } })) };
  }
  return { role: m.role, content: m.content ?? '' };
}

/**
 * Chat completions through an official SDK client: OpenAI, any OpenAI-compatible server (Ollama,
 * vLLM, llama.cpp) through its base URL, or Groq. The SDK retries 429 (honouring Retry-After) and
 * 5xx a bounded number of times; what still fails is mapped to a ProviderError.
 */
export class ChatCompletionsProvider implements LlmProvider {
  constructor(
    readonly name: string,
    private readonly client: CompletionsClient,
    private readonly defaultModel: string,
  ) {}

  async chat(req: ChatRequest): Promise<ChatResult> {
    const model = req.model ?? this.defaultModel;
    const body = {
      model,
      messages: req.messages.map(toWire),
      ...(req.tools?.length && { tools: req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) }),
      ...(req.temperature !== undefined && { temperature: req.temperature }),
    };
    const options = req.signal ? { signal: req.signal } : undefined;
    const create = (b: unknown) => (this.client.chat.completions.create as (b: unknown, o?: unknown) => Promise<unknown>).call(this.client.chat.completions, b, options);
    try {
      if (req.onDelta) return await this.stream(create, body, model, req.onDelta);
      const res = (await create(body)) as OpenAI.Chat.ChatCompletion;
      const msg = res.choices[0]?.message;
      return {
        provider: this.name,
        model: res.model ?? model,
        content: msg?.content ?? null,
        toolCalls: (msg?.tool_calls ?? []).flatMap((t) => ('function' in t ? [{ id: t.id, name: t.function.name, arguments: t.function.arguments }] : [])),
        usage: { promptTokens: res.usage?.prompt_tokens ?? 0, completionTokens: res.usage?.completion_tokens ?? 0 },
      };
    } catch (err) {
      throw this.wrap(err);
    }
  }

  private async stream(create: (b: unknown) => Promise<unknown>, body: object, model: string, onDelta: (t: string) => void): Promise<ChatResult> {
    const stream = (await create({ ...body, stream: true, stream_options: { include_usage: true } })) as AsyncIterable<OpenAI.Chat.ChatCompletionChunk>;
    let content = '';
    const calls = new Map<number, ToolCall>();
    let usage = { promptTokens: 0, completionTokens: 0 };
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) {
        content += delta.content;
        onDelta(delta.content);
      }
      for (const t of delta?.tool_calls ?? []) {
        const call = calls.get(t.index) ?? { id: '', name: '', arguments: '' };
        call.id = t.id ?? call.id;
        call.name += t.function?.name ?? '';
        call.arguments += t.function?.arguments ?? '';
        calls.set(t.index, call);
      }
      if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    }
    return { provider: this.name, model, content: content || null, toolCalls: [...calls.values()], usage };
  }

  private wrap(err: unknown): ProviderError {
    return providerErrorFrom(this.name, this.name, err);
  }
}
