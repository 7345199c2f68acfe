/**
 * The offline responder used until the AI agent is configured: deterministic rules, no model.
 * It never pretends to be an LLM, and hands over to a human whenever it cannot help.
 */
export interface LocalReply {
  content: string;
  handoff: boolean;
}

const HUMAN_REQUEST = /\b(human|agent|person|someone real|real person|operator|representative|staff|mens|medewerker)\b/i;
const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|hallo|hoi|goedemorgen|goedemiddag)\b[\s!.,]*$/i;
const THANKS = /^\s*(thanks|thank you|thx|cheers|bedankt|dank je)\b/i;

export function localReply(text: string, businessName: string): LocalReply {
  if (HUMAN_REQUEST.test(text)) {
    return { content: "I'm connecting you with a teammate. They'll reply here as soon as they can.", handoff: true };
  }
  if (GREETING.test(text)) {
    return { content: `Hi! You're chatting with ${businessName}'s automated assistant. How can we help you today?`, handoff: false };
  }
  if (THANKS.test(text)) {
    return { content: "You're welcome! Is there anything else we can help with?", handoff: false };
  }
  return {
    content:
      "Thanks for your message, we've received it. I'm an automated assistant and can't answer this myself yet, " +
      'so a teammate will follow up here. Reply "human" if you want one right away.',
    handoff: false,
  };
}
