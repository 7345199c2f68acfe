/**
 * A few customer messages for the demo workspace, written through the channel simulator so they
 * take the real path (ingest, workflow, AI reply): the inbox someone opens first is not empty.
 * Each has a fixed client id, so every later start finds them stored and adds nothing.
 */
const MESSAGES = [
  { clientMessageId: 'demo-seed-whatsapp-1', channel: 'whatsapp', from: '+31612345678', name: 'Sanne de Vries', text: 'How much does shipping to the Netherlands cost?' },
  { clientMessageId: 'demo-seed-email-1', channel: 'email', from: 'oliver.hughes@example.com', name: 'Oliver Hughes', subject: 'My order arrived damaged', text: 'My jacket arrived with a torn sleeve. I would like to talk to a person about this, please.' },
  { clientMessageId: 'demo-seed-telegram-1', channel: 'telegram', from: '582910334', name: 'Mika Laine', text: 'When is your Utrecht store open on Sunday?' },
] as const;

export async function seedDemoConversations(apiUrl: string, login: { email: string; password: string }): Promise<void> {
  const session = await fetch(`${apiUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
  if (!session.ok) throw new Error(`demo login failed: ${session.status}`);
  const { accessToken } = (await session.json()) as { accessToken: string };
  for (const message of MESSAGES) {
    const res = await fetch(`${apiUrl}/v1/channels/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(message),
    });
    if (!res.ok) throw new Error(`demo message on ${message.channel} failed: ${res.status} ${await res.text()}`);
  }
}
