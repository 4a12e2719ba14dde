/** Short friendly replies to small talk (pure); which messages are small talk is the question analysis' call. */
import { t, type Lang } from "../locale/messages.ts";
import type { SmallTalk } from "../question/question.ts";

/** The reply to one kind of small talk, naming what the corpus covers. */
export function smallTalkReply(kind: SmallTalk, topic: { firstDate: string | null; lastDate: string | null; documents: number }, lang: Lang = "en"): string {
  if (lang !== "en") return t(lang, `small-${kind}`, { documents: topic.documents });
  const about = `I answer questions about official visits and meetings from ${topic.documents} dated news documents`;
  switch (kind) {
    case "about":
      return `${about}, and cite the passages I quote. Ask for example: "When did the presidents last meet?"`;
    case "greeting":
      return `Hello! ${about}. Ask me anything about them.`;
    case "thanks":
      return "You're welcome! Ask me anything else about the visits.";
    case "ack":
      return "Anything else you would like to know about the visits and meetings?";
    case "bye":
      return "Goodbye! Come back with more questions any time.";
    case "empty":
      return `Please ask a question in words, for example: "When did the presidents last meet?"`;
    case "command":
      return "I don't know that command. Send /help to see what I can do, or just ask a question.";
  }
}
