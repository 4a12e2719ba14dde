/**
 * Who the bot answers (pure): in private chats every text is a question; in groups only
 * `/ask`, `/ask@Bot`, a mention of the bot (by @username or text mention) and replies to the
 * bot's own messages are. Everything else in a group is chatter and gets no reply.
 */
import type { Message, MessageEntity } from "grammy/types";

/** The bot's own identity, from `getMe`. */
export interface BotIdentity {
  id: number;
  username: string;
}

/** Why a message counts as a question. */
export type Trigger = "private" | "ask" | "mention" | "reply";

/** What to do with one incoming message. */
export type Incoming =
  /** Not for this bot (group chatter, another bot's command, a service message). */
  | { kind: "ignore" }
  /** A question; `question` may be empty (the caller answers with a usage hint). */
  | {
      kind: "question";
      trigger: Trigger;
      question: string;
      /** Set when the message replies to one of the bot's messages (a follow-up). */
      replyToBotMessageId?: number;
    }
  /** A command addressed to this bot (other than `/ask`); `explicit` when written `/cmd@Bot`. */
  | { kind: "command"; command: string; args: string; explicit: boolean; replyToBotMessageId?: number }
  /** A private message the bot cannot read: sticker, photo, voice, … */
  | { kind: "unsupported" };

const isGroup = (message: Message): boolean => message.chat.type === "group" || message.chat.type === "supergroup";

/** The slice of `text` an entity covers (offsets are UTF-16 code units, as in JS strings). */
function entityText(text: string, entity: MessageEntity): string {
  return text.slice(entity.offset, entity.offset + entity.length);
}

/** Removes the given entity spans from text and tidies the whitespace left behind. */
function without(text: string, spans: readonly MessageEntity[]): string {
  let out = text;
  for (const span of spans.slice().sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, span.offset) + " " + out.slice(span.offset + span.length);
  }
  return out
    .replace(/[ \t]+/g, " ")
    .replace(/ ([,.;:!?])/g, "$1")
    .replace(/^[\s,:;-]+/, "")
    .trim();
}

/**
 * The id of the bot message this one replies to, if any. In forum topics every message without
 * an explicit reply carries the topic's first message as `reply_to_message`; that is not a reply.
 */
export function repliedBotMessageId(message: Message, me: BotIdentity): number | undefined {
  const replied = message.reply_to_message;
  if (!replied || replied.from?.id !== me.id) return undefined;
  if (replied.forum_topic_created) return undefined;
  if (message.is_topic_message && replied.message_id === message.message_thread_id) return undefined;
  return replied.message_id;
}

/** The mention entities that address this bot: `@username` (any case) or a text mention of its id. */
export function botMentions(text: string, entities: readonly MessageEntity[], me: BotIdentity): MessageEntity[] {
  const handle = `@${me.username}`.toLowerCase();
  return entities.filter(
    (e) =>
      (e.type === "mention" && entityText(text, e).toLowerCase() === handle) ||
      (e.type === "text_mention" && e.user.id === me.id),
  );
}

/** Classifies one new message for this bot. Pure: no I/O, no clock. */
export function classifyMessage(message: Message, me: BotIdentity): Incoming {
  const chatType = message.chat.type;
  if (chatType !== "private" && !isGroup(message)) return { kind: "ignore" };
  const text = message.text;
  if (text === undefined) return chatType === "private" ? { kind: "unsupported" } : { kind: "ignore" };
  const entities = message.entities ?? [];
  const replyToBotMessageId = repliedBotMessageId(message, me);
  const followUp = replyToBotMessageId !== undefined ? { replyToBotMessageId } : {};

  const first = entities[0];
  if (first && first.type === "bot_command" && first.offset === 0) {
    const [name, target] = entityText(text, first).slice(1).split("@", 2);
    if (target !== undefined && target.toLowerCase() !== me.username.toLowerCase()) return { kind: "ignore" };
    const command = name.toLowerCase();
    const args = text.slice(first.length).trim();
    if (command === "ask") return { kind: "question", trigger: "ask", question: args, ...followUp };
    return { kind: "command", command, args, explicit: target !== undefined, ...followUp };
  }

  if (chatType === "private") return { kind: "question", trigger: "private", question: text.trim(), ...followUp };

  const mentions = botMentions(text, entities, me);
  if (mentions.length > 0) return { kind: "question", trigger: "mention", question: without(text, mentions), ...followUp };
  if (replyToBotMessageId !== undefined) return { kind: "question", trigger: "reply", question: text.trim(), replyToBotMessageId };
  return { kind: "ignore" };
}

/** Whether a message is addressed to the bot at all (decides access-control refusals in groups). */
export function isAddressed(incoming: Incoming): boolean {
  return incoming.kind !== "ignore";
}
