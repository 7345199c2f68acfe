import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import { api, simulatorApi, type SimulatedChannel } from "~/api.server";
import { unwrap, withAuth } from "../auth/auth.server";
import { MessageThread } from "../inbox/message-thread";

export const meta: MetaFunction = () => [
  { title: "Channel simulator · Switchboard" },
];

const CHANNELS: Array<{ value: SimulatedChannel; label: string }> = [
  { value: "whatsapp", label: "WhatsApp" },
  { value: "sms", label: "SMS" },
  { value: "email", label: "Email" },
  { value: "instagram", label: "Instagram" },
  { value: "telegram", label: "Telegram" },
];

/** The conversation the last simulated message went to, shown with the replies it got. */
export async function loader({ request }: LoaderFunctionArgs) {
  const conversationId = new URL(request.url).searchParams.get("conversation");
  if (!conversationId) return data({ conversationId: null, messages: [] });
  const authed = await withAuth(request, (token) =>
    api.listMessages(token, conversationId)
  );
  return data(
    { conversationId, messages: unwrap(authed).messages },
    { headers: authed.headers }
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const field = (name: string) => {
    const value = String(form.get(name) ?? "").trim();
    return value === "" ? undefined : value;
  };
  const channel = (field("channel") ?? "whatsapp") as SimulatedChannel;
  const { result, headers } = await withAuth(request, (token) =>
    simulatorApi.send(token, {
      channel,
      from: field("from") ?? "",
      name: field("name"),
      subject: channel === "email" ? field("subject") : undefined,
      text: field("text") ?? "",
    })
  );
  if (result.ok)
    return redirect(`/simulator?conversation=${result.value.conversationId}`, {
      headers,
    });
  const fields = Object.fromEntries(
    (Array.isArray(result.error.fields)
      ? (result.error.fields as Array<{ field: string; message: string }>)
      : []
    ).map((f) => [f.field, f.message])
  );
  return data(
    { error: result.error.message, fields },
    { status: result.error.status, headers }
  );
}

export default function SimulatorRoute() {
  const { conversationId, messages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const sending = navigation.state === "submitting";
  const fieldErrors = (result?.fields ?? {}) as Record<string, string>;
  const text = useRef<HTMLTextAreaElement>(null);
  const submitted = useRef(false);

  // A sent message leaves the box (a refusal keeps it); channel, from and name stay, so the next
  // message comes from the same customer.
  useEffect(() => {
    if (navigation.state === "submitting") submitted.current = true;
    if (navigation.state !== "idle" || !submitted.current) return;
    submitted.current = false;
    if (result?.error || !text.current) return;
    text.current.value = "";
    text.current.focus();
  }, [navigation.state, result]);

  // The AI answers within moments: refresh the thread for a little while after each message.
  useEffect(() => {
    if (!conversationId) return;
    let left = 10;
    const timer = setInterval(() => {
      if (left-- <= 0) clearInterval(timer);
      else if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [conversationId, messages.length]);

  return (
    <main className="simulator">
      <section className="simulator-form">
        <h2>Write as a customer</h2>
        <p className="muted">
          Messages arrive as they would from the channel. Replies go through the
          sandbox: they are recorded as sent, and nothing leaves the platform.
        </p>
        <Form method="post" data-testid="simulator-form">
          <label className="field">
            <span>Channel</span>
            <select
              name="channel"
              defaultValue="whatsapp"
              aria-label="Channel"
              data-testid="simulator-channel"
            >
              {CHANNELS.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>From (phone, email or user id)</span>
            <input
              name="from"
              required
              placeholder="+31 6 1234 5678"
              aria-invalid={!!fieldErrors.from}
              data-testid="simulator-from"
            />
            {fieldErrors.from && (
              <span className="field-error">{fieldErrors.from}</span>
            )}
          </label>
          <label className="field">
            <span>Name (optional)</span>
            <input name="name" placeholder="Ana de Vries" data-testid="simulator-name" />
          </label>
          <label className="field">
            <span>Subject (email only)</span>
            <input name="subject" placeholder="Question about my order" />
          </label>
          <label className="field">
            <span>Message</span>
            <textarea
              ref={text}
              name="text"
              required
              rows={3}
              aria-invalid={!!fieldErrors.text}
              data-testid="simulator-text"
            />
            {fieldErrors.text && (
              <span className="field-error">{fieldErrors.text}</span>
            )}
          </label>
          {result?.error && !Object.keys(fieldErrors).length && (
            <p className="form-error" role="alert">
              {result.error}
            </p>
          )}
          <button
            type="submit"
            className="button primary"
            disabled={sending}
            data-testid="simulator-send"
          >
            {sending ? "Sending…" : "Send as customer"}
          </button>
        </Form>
      </section>
      {conversationId && (
        <section className="simulator-thread" data-testid="simulator-thread">
          <h2>
            Conversation{" "}
            <Link to={`/inbox/${conversationId}`}>open in the inbox</Link>
          </h2>
          <MessageThread messages={messages} />
        </section>
      )}
    </main>
  );
}
