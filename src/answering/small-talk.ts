/**
 * Greetings, thanks and "what can you do?" get a short friendly reply instead of a
 * search (pure). Anything with more content than that is a question.
 */

const GREETING = /^(hi|hello|hey|hiya|howdy|good\s+(morning|afternoon|evening|day)|greetings|salam|salem|privet|привет|здравствуйте|ассалому алейкум)\b/i;
const THANKS = /^(thanks|thank\s+you|thx|ty|cheers|great|ok(ay)?|cool|nice|спасибо)\b/i;
const BYE = /^(bye|goodbye|see\s+you|good\s+night)\b/i;
const ABOUT = /^(who\s+are\s+you|what\s+(can|do)\s+you\s+do|what\s+are\s+you|help|how\s+does\s+this\s+work|how\s+do\s+i\s+use\s+(you|this))\b/i;

/** A reply for small talk, or null when the text is a real question. */
export function smallTalkReply(text: string, topic: { firstDate: string | null; lastDate: string | null; documents: number }): string | null {
  const cleaned = text.trim().replace(/[\s!.?,)(:;-]+$/g, "").replace(/\s+/g, " ");
  const words = cleaned.split(" ").length;
  const about = `I answer questions about official visits and meetings from ${topic.documents} dated news documents`;
  // "Hello, what can you do?": the greeting does not hide the question about the bot.
  const afterGreeting = cleaned.replace(GREETING, "").replace(/^[\s,!.:;-]+/, "");
  if (ABOUT.test(afterGreeting) && afterGreeting.split(" ").length <= 7) {
    return `${about}, and cite the passages I quote. Ask for example: "When did the presidents last meet?"`;
  }
  if (words > 4) return null;
  if (GREETING.test(cleaned)) return `Hello! ${about}. Ask me anything about them.`;
  if (THANKS.test(cleaned)) return "You're welcome! Ask me anything else about the visits.";
  if (BYE.test(cleaned)) return "Goodbye! Come back with more questions any time.";
  return null;
}
