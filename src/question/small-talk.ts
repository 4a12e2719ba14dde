/**
 * Greetings, thanks, goodbyes, "what can you do?", bare punctuation and commands (pure):
 * recognised at any point of a conversation, so that "thanks!" after an answer is not
 * taken for a follow-up. Anything with more content than that is a question.
 */
import { STOPWORDS } from "../text/stopwords.ts";
import { FuzzyWords } from "./fuzzy-words.ts";
import type { SmallTalk } from "./question.ts";

const GREETING = /^(hi|hello|hey|hiya|howdy|yo|good\s+(morning|afternoon|evening|day)|greetings|salam|salem|privet|how\s+are\s+(you|u)|how('s|\s+is)\s+it\s+going|what'?s\s+up|привет|здравствуйте|добрый\s+(день|вечер|утро)|доброе\s+утро|как\s+дела|ассалому алейкум)(?![\p{L}\p{N}])/iu;
const THANKS = /^((many\s+)?thanks|thank\s+(you|u)|thx|thnx|tnx|ty|cheers|great|ok(ay)?|cool|nice|perfect|excellent|got\s+it|much\s+appreciated|appreciate\s+it|good\s+job|well\s+done|helpful|спасибо|благодарю|отлично)(?![\p{L}\p{N}])/iu;
const BYE = /^(bye|goodbye|bye\s+bye|see\s+(you|ya)|talk\s+(to\s+you\s+)?later|later|good\s+night|gn|пока|до\s+свидания)(?![\p{L}\p{N}])/iu;
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
  // "hiii", "thanksss": a letter held down is one letter.
  const cleaned = trimmed.replace(/[\s!.?,)(:;-]+$/g, "").replace(/\s+/g, " ").replace(/(\p{L})\1{2,}/gu, "$1");
  // "Hello, what can you do?": the greeting does not hide the question about the bot.
  const afterGreeting = cleaned.replace(GREETING, "").replace(/^[\s,!.:;-]+/, "");
  if (ABOUT.test(afterGreeting) && afterGreeting.split(" ").length <= 7) return "about";
  if (OFFER.test(afterGreeting)) return "about";
  const words = cleaned.split(" ").length;
  if (words > 4) return smallTalkByWords(cleaned);
  const rest = (pattern: RegExp) => cleaned.replace(pattern, "").replace(/^[\s,!.:;-]+/, "");
  // "ok thanks", "great, thank you", "hi there": the whole message is small talk, not a question after it.
  if (GREETING.test(cleaned) && !/[\p{L}]{4,}/u.test(rest(GREETING).replace(/\b(there|all|bot|everyone)\b/giu, ""))) return "greeting";
  if (THANKS.test(cleaned) && !/\?/.test(trimmed)) return "thanks";
  if (BYE.test(cleaned)) return "bye";
  if (ACK.test(cleaned)) return "ack";
  return smallTalkByWords(cleaned);
}

/**
 * The words of messages that ask nothing of the documents, by the kind of small talk they
 * make: a message made only of these and function words is small talk however it is put
 * together ("that's great, thanks", "what topics do you cover?", "anyone there?").
 */
type WordKind = Exclude<SmallTalk, "empty" | "command">;

const SMALL_TALK_WORDS: Record<WordKind, string> = {
  about:
    "ask asking answer answers able questions question topics topic cover covers sources source documents document " +
    "work works use using name bot robot know help helps kind kinds sort type types capable start menu " +
    "purpose joke jokes created creator made developer language languages speak english old age alive smart",
  greeting: "hi hello hey hiya howdy yo sup greetings morning afternoon evening anyone anybody everyone guys folks test testing again",
  thanks: "thanks thank thx thnx tysm ty cheers great ok okay cool nice perfect excellent awesome helpful useful appreciated appreciate lot much merci gracias rahmat",
  bye: "bye goodbye goodnight later night nevermind never mind",
  ack: "lol haha hmm wow interesting see right sure yes yeah yep nope good wrong correct true false fine k sorry bad really knew didn",
};
const WORD_KIND = new Map<string, WordKind>(
  Object.entries(SMALL_TALK_WORDS).flatMap(([kind, words]) => words.split(" ").map((word) => [word, kind as WordKind] as const)),
);
/** Which kind a typo near two small-talk words is read as, heaviest first: "helo" is "hello" before it is "help". */
const TYPO_PREFERENCE: Record<WordKind, number> = { greeting: 5, thanks: 4, bye: 3, ack: 2, about: 1 };
/** Small-talk words of four letters or more, for one typo ("thnaks", "helo"). */
const MISSPELT = new FuzzyWords([...WORD_KIND].map(([word, kind]) => [word, TYPO_PREFERENCE[kind]] as [string, number]), 4);

function misspeltKind(word: string): WordKind | undefined {
  const match = MISSPELT.near(word)[0];
  return match && WORD_KIND.get(match.word);
}

/** Words besides function words that a small-talk message may hold ("tell me what you can do today, please", "how r u"). */
const SMALL_TALK_FILLERS = new Set(["tell", "please", "today", "still", "just", "r", "u", "t"]);
/** Words that address the bot: a message of them and function words only ("are you there?") asks about the bot. */
const ADDRESSING = new Set(["you", "your", "yours", "yourself", "u", "bot"]);

/** Longest message read word by word: more words than this carry a question. */
const SMALL_TALK_MAX_WORDS = 10;

function smallTalkByWords(cleaned: string): SmallTalk | null {
  const words = cleaned.toLowerCase().replace(/['’]s\b/g, " is").match(/[\p{L}]+/gu) ?? [];
  if (words.length === 0 || words.length > SMALL_TALK_MAX_WORDS) return null;
  const kinds = new Set<WordKind>();
  for (const word of words) {
    const kind = WORD_KIND.get(word) ?? misspeltKind(word);
    if (kind) kinds.add(kind);
    else if (!STOPWORDS.has(word) && !SMALL_TALK_FILLERS.has(word)) return null;
  }
  // "what can I ask?": a question about the bot wins over the greeting or thanks around it.
  for (const kind of ["about", "bye", "thanks", "greeting", "ack"] as const) if (kinds.has(kind)) return kind;
  return words.some((word) => ADDRESSING.has(word)) ? "about" : null;
}
