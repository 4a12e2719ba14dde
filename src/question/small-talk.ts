/**
 * Greetings, thanks, goodbyes, "what can you do?", bare punctuation and commands (pure):
 * recognised at any point of a conversation, so that "thanks!" after an answer is not
 * taken for a follow-up. Anything with more content than that is a question.
 */
import type { SmallTalk } from "./question.ts";

const GREETING = /^(hi|hello|hey|hiya|howdy|yo|good\s+(morning|afternoon|evening|day)|greetings|salam|salem|privet|how\s+are\s+(you|u)|how('s|\s+is)\s+it\s+going|what'?s\s+up|привет|здравствуйте|добрый\s+(день|вечер|утро)|доброе\s+утро|как\s+дела|ассалому алейкум)\b/iu;
const THANKS = /^((many\s+)?thanks|thank\s+(you|u)|thx|thnx|tnx|ty|cheers|great|ok(ay)?|cool|nice|perfect|excellent|got\s+it|much\s+appreciated|appreciate\s+it|good\s+job|well\s+done|helpful|спасибо|благодарю|отлично)\b/iu;
const BYE = /^(bye|goodbye|bye\s+bye|see\s+(you|ya)|talk\s+(to\s+you\s+)?later|later|good\s+night|gn|пока|до\s+свидания)\b/iu;
const ABOUT = /^(who\s+are\s+you|who\s+(made|built|created|wrote)\s+you|are\s+you\s+(a\s+)?(bot|robot|human|ai|real)|what\s+(can|do)\s+you\s+do|what\s+are\s+you|what\s+is\s+this(\s+bot)?|help|how\s+does\s+this\s+work|how\s+do\s+(i|you)\s+use\s+(you|this|it)|what\s+do\s+you\s+know|what\s+(can|should)\s+i\s+ask(\s+you)?|что\s+ты\s+умеешь|кто\s+ты|что\s+ты\s+знаешь)(\s+(here|exactly|for\s+me|then|again))?$/iu;
/** Asking whether the bot will take questions, without asking one ("can you help me with some questions about …"). */
const OFFER = /^((can|could|will)\s+you\s+help(\s+me)?|i\s+(have|got)\s+(a|some|a\s+few)\s+questions?)(\s+(with|on)(\s+(some|a\s+few|my))?\s+questions?)?(\s+(about|on)\s+[^?]*)?$/iu;

/** Reactions that ask nothing ("lol", "hmm interesting", "i see"). */
const ACK = /^((lol|haha+|hmm+|hm+|wow|ah+|oh+|interesting|i\s+see|right|sure|indeed|yes|yeah|yep|nope|no|good|awesome|amazing|понятно|ясно|ого|ага)[\s,!.]*)+$/iu;

/** The kind of small talk a message is, or null when it is a real question. */
export function classifySmallTalk(text: string): SmallTalk | null {
  const trimmed = text.trim();
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return "empty";
  if (/^\/[a-z_]+(@\w+)?(\s|$)/i.test(trimmed)) return "command";
  const cleaned = trimmed.replace(/[\s!.?,)(:;-]+$/g, "").replace(/\s+/g, " ");
  // "Hello, what can you do?": the greeting does not hide the question about the bot.
  const afterGreeting = cleaned.replace(GREETING, "").replace(/^[\s,!.:;-]+/, "");
  if (ABOUT.test(afterGreeting) && afterGreeting.split(" ").length <= 7) return "about";
  if (OFFER.test(afterGreeting)) return "about";
  const words = cleaned.split(" ").length;
  if (words > 4) return null;
  const rest = (pattern: RegExp) => cleaned.replace(pattern, "").replace(/^[\s,!.:;-]+/, "");
  // "ok thanks", "great, thank you", "hi there": the whole message is small talk, not a question after it.
  if (GREETING.test(cleaned) && !/[\p{L}]{4,}/u.test(rest(GREETING).replace(/\b(there|all|bot|everyone)\b/giu, ""))) return "greeting";
  if (THANKS.test(cleaned) && !/\?/.test(trimmed)) return "thanks";
  if (BYE.test(cleaned)) return "bye";
  if (ACK.test(cleaned)) return "ack";
  return null;
}
