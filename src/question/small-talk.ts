/**
 * Greetings, thanks, goodbyes, "what can you do?", bare punctuation and commands (pure):
 * recognised at any point of a conversation, so that "thanks!" after an answer is not
 * taken for a follow-up. Anything with more content than that is a question.
 */
import { RUSSIAN_STOPWORDS, STOPWORDS } from "../text/stopwords.ts";
import { FuzzyWords } from "./fuzzy-words.ts";
import type { SmallTalk } from "./question.ts";

const GREETING = /^((nice|pleased|glad)\s+to\s+meet\s+(you|u)|hi|hello|hey|hiya|howdy|yo|good\s+(morning|afternoon|evening|day)|greetings|salam|salem|privet|how\s+are\s+(you|u)|how('s|\s+is)\s+it\s+going|what'?s\s+up|привет|здравствуй(те)?|добр(ый|ого|ое)\s+(день|дня|вечер|вечера|утро|утра)|доброе\s+утро|как\s+дела|ассалому алейкум|есть\s+(кто|кто-нибудь|кто-то)(\s+(тут|здесь))?|алло|ау|эй)(?![\p{L}\p{N}])/iu;
const THANKS = /^((many\s+)?thanks|thank\s+(you|u)|thx|thnx|tnx|ty|cheers|great|ok(ay)?|cool|nice|perfect|excellent|got\s+it|much\s+appreciated|appreciate\s+it|good\s+job|well\s+done|helpful|спасибо|благодарю|отлично)(?![\p{L}\p{N}])/iu;
const BYE = /^(bye|goodbye|bye\s+bye|see\s+(you|ya)(\s+(tomorrow|soon|later|around))?|have\s+a\s+(nice|good|great)\s+(day|evening|night|one|weekend)|stop|cancel|quit|exit|talk\s+(to\s+you\s+)?later|later|good\s+night|gn|пока|до\s+свидания|(доброй|спокойной)\s+ночи|хорошего\s+(дня|вечера)|всего\s+(доброго|хорошего)|до\s+(встречи|скорого|завтра)|that['’]?s\s+(all|it)|that\s+is\s+all|i['’]?m\s+done|nothing\s+else|(это|на\s+этом)\s+вс[её]|больше\s+ничего)(?![\p{L}\p{N}])/iu;
const ABOUT = /^(who\s+are\s+you|who\s+(made|built|created|wrote)\s+you|are\s+you\s+(a\s+)?(bot|robot|human|ai|real)|what\s+(can|do)\s+you\s+do|what\s+are\s+you|what\s+is\s+this(\s+bot)?|help|how\s+does\s+this\s+work|how\s+do\s+(i|you)\s+use\s+(you|this|it)|what\s+do\s+you\s+know|what\s+(can|should)\s+i\s+ask(\s+you)?|что\s+ты\s+умеешь|кто\s+ты|что\s+ты\s+знаешь|(а\s+)?ты\s+(бот|робот|человек|живой|настоящий|нейросеть|ии)|where\s+do\s+you\s+get\s+(your\s+)?(information|info|data|news|answers|facts)(\s+from)?|how\s+(up\s+to\s+date|current|recent|fresh)\s+(are\s+you|is\s+(your|the)\s+(information|info|data|news))|what\s+(time\s+)?(period|years?|dates)\s+do\s+you\s+(cover|know(\s+about)?)|how\s+do\s+i\s+add\s+(documents|files|sources|news|reports)|(can|could|may)\s+(you|u)\s+(speak|understand|answer\s+in|reply\s+in)\s+(english|russian|kyrgyz|chinese|kazakh|uzbek)|(do|can)\s+you\s+speak\s+(english|russian|kyrgyz|chinese|kazakh|uzbek))(\s+(here|exactly|for\s+me|then|again))?$/iu;
/** Asking whether the bot will take questions, without asking one ("can you help me with some questions about …"). */
const OFFER = /^((can|could|will)\s+you\s+help(\s+me)?|(can|could|may)\s+i\s+ask(\s+you)?(\s+(something|a\s+question|some\s+questions|a\s+few\s+questions|anything))?|i\s+(have|got)\s+(a|some|a\s+few)\s+questions?)(\s+(with|on)(\s+(some|a\s+few|my))?\s+questions?)?(\s+(about|on)\s+[^?]*)?$/iu;

/** Reactions that ask nothing ("lol", "hmm interesting", "i see"). */
const ACK = /^((lol|lmao|rofl|huh|eh|what|(you['’]?re|you\s+are)\s+welcome|no\s+problem|np|a?(ha)+h?|he(he)+|xd|:-?d|hmm+|hm+|wow|ah+|oh+|interesting|i\s+see|right|sure|indeed|yes|yeah|yep|nope|no|good|awesome|amazing|понятно|ясно|ого|ага|лол|а?(ха)+х?|хе(хе)+|ор+)[\s,!.)(]*)+$/iu;

/** Pictographs and their joiners: an emoji is not a word. */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{FE0F}\u{200D}\u{20E3}]/gu;
/** Emoji that thank or approve (👍, 🙏, ❤️), and the wave that greets; any other emoji alone is a reaction. */
const THANKS_EMOJI = /[👍🙏👌❤♥💯👏🤝🔥✅💪😍🥰😘💙💚💛🫶🌹]/u;
const GREETING_EMOJI = /[👋🤚✋]/u;

/** The kind of small talk a message is, or null when it is a real question. */
export function classifySmallTalk(text: string): SmallTalk | null {
  const trimmed = text.trim();
  if (!/[\p{L}\p{N}]/u.test(trimmed)) {
    // "👍", "🙏🙏", "😂", ":)", ")))": an emoji or a smiley alone answers the bot; bare punctuation asks to be put in words.
    if (!/\p{Extended_Pictographic}/u.test(trimmed)) return /[()]/.test(trimmed) ? "ack" : "empty";
    return THANKS_EMOJI.test(trimmed) ? "thanks" : GREETING_EMOJI.test(trimmed) ? "greeting" : "ack";
  }
  if (/^\/[a-z_]+(@\w+)?(\s|$)/i.test(trimmed)) return "command";
  return classifyWords(trimmed.replace(EMOJI, " "));
}

function classifyWords(trimmed: string): SmallTalk | null {
  // "hiii", "thanksss": a letter held down is one letter.
  const cleaned = trimmed.replace(/[\s!.?,)(:;-]+$/g, "").replace(/\s+/g, " ").trim().replace(/(\p{L})\1{2,}/gu, "$1");
  if (!cleaned) return null;
  // "Hello, what can you do?": the greeting does not hide the question about the bot.
  const afterGreeting = cleaned.replace(GREETING, "").replace(/^[\s,!.:;-]+/, "");
  if (ABOUT.test(afterGreeting) && afterGreeting.split(" ").length <= 7) return "about";
  if (OFFER.test(afterGreeting)) return "about";
  const words = cleaned.split(" ").length;
  if (words > 4) return smallTalkByWords(cleaned);
  // "ok thanks", "great, bye", "hi there", "ok and": a greeting, thanks or goodbye followed by more small talk or
  // by function words only is small talk; followed by a question ("ok, when was that?") it is that question.
  for (const [pattern, kind] of [[GREETING, "greeting"], [THANKS, "thanks"], [BYE, "bye"]] as const) {
    if (!pattern.test(cleaned)) continue;
    const rest = cleaned.replace(pattern, "").replace(/^[\s,!.:;-]+/, "");
    const restWords = wordsOf(rest).filter((word) => !GREETED.has(word));
    if (restWords.length === 0) return kind;
    const more = classifyWords(rest);
    if (more === "about") return restWords.some((word) => INTERROGATIVES.has(word) || ADDRESSING.has(word)) ? "about" : kind;
    if (more) return more === "bye" ? "bye" : kind;
    if (restWords.every((word) => (FUNCTION_WORDS.has(word) || SMALL_TALK_FILLERS.has(word)) && !INTERROGATIVES.has(word))) return kind;
    return null;
  }
  if (ACK.test(cleaned)) return "ack";
  return smallTalkByWords(cleaned);
}

/** Who a greeting, thanks or goodbye may name without asking anything ("hi there", "hello all", "thanks bot", "спасибо, бот"). */
const GREETED = new Set(["there", "all", "bot", "everyone", "everybody", "guys", "folks", "всем", "бот"]);

/**
 * The words of messages that ask nothing of the documents, by the kind of small talk they
 * make: a message made only of these and function words is small talk however it is put
 * together ("that's great, thanks", "what topics do you cover?", "anyone there?").
 */
type WordKind = Exclude<SmallTalk, "empty" | "command">;

const SMALL_TALK_WORDS: Record<WordKind, string> = {
  about:
    "ask asking answer answers able questions question topics topic cover covers sources source documents document " +
    "work works use using name bot robot chatbot know help helps kind kinds sort type types capable start menu " +
    "purpose joke jokes created creator made built developer language languages speak english old age alive smart chatgpt gpt ai llm " +
    "бот бота боту ботом робот чатгпт нейросеть ии умеешь умеете уметь можешь можете помочь помоги помогите помощь помогаешь " +
    "ответ ответы ответа начать пользоваться делать делаешь работаешь работаете отвечаешь отвечаете отвечать вопрос вопросы вопросов спросить спрашивать задать " +
    "знаешь знаете анекдот анекдоты шутка шутку шутки пошути зовут звать создал создали создатель разработчик языки языках говоришь говорите",
  greeting:
    "hi hello hey hiya howdy yo sup greetings morning afternoon evening anyone anybody everyone guys folks test testing again " +
    "привет приветик приветствую здравствуй здравствуйте здрасте здрасьте салют хай",
  thanks:
    "thanks thank thx thnx tysm ty cheers great ok okay cool nice perfect excellent awesome helpful useful appreciated appreciate lot much merci gracias rahmat " +
    "спасибо спасиб спасибки спс пасиб пасибо сенкс мерси благодарю благодарен благодарна благодарствую большое огромное " +
    "ок окей окэй хорошо отлично круто супер класс классно здорово прекрасно замечательно шикарно норм нормально молодец помогло помогли полезно",
  bye: "bye goodbye goodnight later night nevermind never mind пока покеда прощай свидания увидимся",
  ack:
    "lol haha hmm wow interesting see right sure yes yeah yep nope good wrong correct true false fine k sorry bad really knew didn wait " +
    "sounds makes sense fair enough noted roger omg oops bruh meh love useless unhelpful stupid incorrect nothing done understand " +
    "понятно ясно ясненько понял поняла поняли ага угу хм ого вау ух ладно да нет неа ничего интересно прикольно точно верно серьезно жаль извини извините прости простите " +
    "понимаю неправильно неверно ошибся ошиблась ошибка бред отстой",
};
/**
 * Small-talk words that ask about the bot by themselves ("what topics?", "чем можешь помочь?"); the others
 * ("name", "made", "documents") do so in a question only when it addresses the bot ("what is your name?", not
 * "what is his name?").
 */
const ABOUT_THE_BOT = new Set(
  ("ask asking questions question topics topic bot robot chatbot help helps capable menu purpose joke jokes chatgpt gpt ai llm " +
    "бот бота боту ботом робот чатгпт нейросеть помочь помоги помогите помощь помогаешь вопрос вопросы вопросов спросить спрашивать задать анекдот анекдоты шутка шутку шутки пошути").split(" "),
);
const WORD_KIND = new Map<string, WordKind>(
  Object.entries(SMALL_TALK_WORDS).flatMap(([kind, words]) => words.split(" ").map((word) => [word, kind as WordKind] as const)),
);
/** Which kind a typo near two small-talk words is read as, heaviest first: "helo" is "hello" before it is "help". */
const TYPO_PREFERENCE: Record<WordKind, number> = { greeting: 5, thanks: 4, bye: 3, ack: 2, about: 1 };
/** Small-talk words of four letters or more, for one typo ("thnaks", "helo"). */
const MISSPELT = new FuzzyWords([...WORD_KIND].map(([word, kind]) => [word, TYPO_PREFERENCE[kind]] as [string, number]), 4);

/** Shortest word read with a wrong letter in it ("thamks"); a shorter one is more likely another word ("year" is not "yeah"). */
const MIN_SUBSTITUTED_LETTERS = 6;

/** The small-talk word `word` is a typo of: a swapped, dropped or doubled letter, or in a long word a wrong one. */
function misspelt(word: string): string | undefined {
  return MISSPELT.near(word).find((match) => match.word.length !== word.length || word.length >= MIN_SUBSTITUTED_LETTERS || isSwap(word, match.word))?.word;
}

function isSwap(a: string, b: string): boolean {
  const at = [...a].findIndex((letter, i) => letter !== b[i]);
  return at >= 0 && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
}

function misspeltKind(word: string): WordKind | undefined {
  const match = misspelt(word);
  return match === undefined ? undefined : WORD_KIND.get(match);
}

/** Words besides function words that a small-talk message may hold ("tell me what you can do today, please", "how r u", "nice one", "thanks for the info"). */
const SMALL_TALK_FILLERS = new Set(["tell", "please", "today", "still", "just", "r", "u", "t", "re", "m", "ll", "ve", "d", "don", "doesn", "isn", "wasn", "aren", "one", "info", "information", "информацию", "информация", "информации", "расскажи", "скажи", "пожалуйста", "сегодня", "ещё", "еще", "очень", "всё", "все", "себе", "такой", "такая"]);
/** Words that address the bot: a message of them and function words only ("are you there?", "а ты кто?") asks about the bot. */
const ADDRESSING = new Set(["you", "your", "yours", "yourself", "u", "bot", "ты", "тебя", "тебе", "тобой", "твой", "твоя", "твои", "вы", "вас", "вам", "ваш", "бот", "бота", "боту"]);
/** Words that ask: with one, a message of thanks or reactions is a question ("ok and when was that", "спасибо, а когда это было?"). */
const INTERROGATIVES = new Set(
  ("who whom whose what when where which why how whats whos wheres hows " +
    "кто кого кому кем что чего чем когда где куда откуда какой какая какое какие каких каким какую сколько почему зачем чей чья чьи как").split(" "),
);
/** Function words of both languages, and the question words, that a small-talk message may hold around its small-talk words. */
const FUNCTION_WORDS = new Set([...STOPWORDS, ...RUSSIAN_STOPWORDS, ...INTERROGATIVES, "а", "и", "я", "он", "она", "они", "это", "этот", "эта", "там", "тут", "здесь", "так", "ли", "уже", "можно", "нужно", "надо"]);

/** Longest message read word by word: more words than this carry a question. */
const SMALL_TALK_MAX_WORDS = 10;

/** The words of a message, lower case, "'s" read as "is", ё as е. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/ё/g, "е").replace(/['’]s\b/g, " is").match(/[\p{L}]+/gu) ?? [];
}

function smallTalkByWords(cleaned: string): SmallTalk | null {
  const words = wordsOf(cleaned);
  if (words.length === 0 || words.length > SMALL_TALK_MAX_WORDS) return null;
  const kinds = new Set<WordKind>();
  let aboutTheBot = false;
  for (const word of words) {
    // A function word is one ("what", "это"), never a misspelt small-talk word.
    const kind = WORD_KIND.get(word) ?? (FUNCTION_WORDS.has(word) ? undefined : misspeltKind(word));
    if (kind) kinds.add(kind);
    else if (!FUNCTION_WORDS.has(word) && !SMALL_TALK_FILLERS.has(word) && !ADDRESSING.has(word)) return null;
    if (kind === "about" && ABOUT_THE_BOT.has(WORD_KIND.has(word) ? word : (misspelt(word) ?? word))) aboutTheBot = true;
  }
  const addressed = words.some((word) => ADDRESSING.has(word));
  // "ok and when was that", "what is his name?": a question made of small-talk words asks the documents,
  // unless it addresses the bot or asks what the bot does ("what topics?", "чем можешь помочь?").
  const asks = words.some((word) => INTERROGATIVES.has(word));
  if (asks && !addressed && !aboutTheBot) return null;
  // "what can I ask?": a question about the bot wins over the greeting or thanks around it; thanks that only
  // name the help ("thank you for your help", "спасибо за помощь") are thanks.
  if (kinds.has("thanks") && !asks) kinds.delete("about");
  for (const kind of ["about", "bye", "thanks", "greeting", "ack"] as const) if (kinds.has(kind)) return kind;
  return addressed ? "about" : null;
}

/** Where a message's opening may end: a comma, "!", "." or dash, or before a conjunction ("ok and when", "спасибо, а где"). */
const OPENING_END = /[,!.;:—–]+\s*|\s+(?=(and|so|but|а|и|но|ну)(?![\p{L}\p{N}]))/giu;

/**
 * A question without the thanks, reaction or greeting it opens with ("thanks! when was that?" → "when was
 * that?", "ок понял, а где?" → "а где?"), so that it is read as the follow-up it is. The opening must end
 * at a punctuation mark or a conjunction: "good relations with China?" keeps its "good".
 */
export function withoutSmallTalkOpening(text: string): string {
  let rest = text.trim();
  for (;;) {
    let cut: string | null = null;
    for (const end of rest.matchAll(OPENING_END)) {
      const head = rest.slice(0, end.index);
      const tail = rest.slice(end.index + end[0].length);
      if (!/[\p{L}\p{N}]/u.test(head) || !/[\p{L}\p{N}]/u.test(tail)) continue;
      const kind = classifySmallTalk(head);
      if (kind === "thanks" || kind === "ack" || kind === "greeting" || kind === "bye") cut = tail;
      break; // only the first phrase is an opening; a later comma is inside the question
    }
    if (cut === null) return rest;
    rest = cut.trim();
  }
}
