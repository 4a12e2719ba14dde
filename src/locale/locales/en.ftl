# The bot's own words in English (Fluent: https://projectfluent.org). Keys are shared with ru.ftl.
refusal = The documents I have do not cover this, so I cannot answer it.
refusal-period = The documents I have do not cover this, so I cannot answer it. They report on official visits and meetings from { $from } to { $to }.
partial-subject = The documents mention { $subject } but { $missing }.
partial-plain = The documents { $missing }.
partial-closest = The closest they report:
dated = On { $date }, { $text }
undated = In an undated report: { $text }
nothing-more = That is all the documents I have say about it: I have shown every passage on it.
sources = Sources
undated-source = undated
help-intro = I answer questions about official visits and meetings (Kyrgyzstan–China first of all) from { $documents } { $documents ->
    [one] news document
   *[other] news documents
}{ $period }.
help-period = , from { $from } to { $to }
help-period-day = , dated { $date }
help-ask-example = /ask your question
help-groups = • In a group: { $ask }, mention @{ $bot }, or reply to one of my answers.
help-sources = /sources — the documents, newest first
help-timeline = /timeline — the documented events in date order
help-cite = Every answer cites its passages as [1], [2] with their dates; tap a number to read the passage.
unknown-command = I don't know that command. Send /help to see what I can do.
rate-limited = You are asking faster than I can keep up. Please wait a few seconds and ask again.
not-allowed = Sorry, this bot is not available in this chat.
apology = Sorry, something went wrong while answering. Please try again in a moment.
send-text = Please send your question as text, for example: When did Japarov meet Xi Jinping?
too-long = That message is too long ({ $length } characters). Please ask in at most { $max } characters.
index-unavailable = The search index is not available right now. Please try again later.
index-busy = Another index build is still running; try again when it has finished.
passage-gone = This passage is no longer in the index. Ask again for fresh sources.
small-about = I answer questions about official visits and meetings from { $documents } dated news documents, and cite the passages I quote. Ask for example: "When did the presidents last meet?"
small-greeting = Hello! I answer questions about official visits and meetings from { $documents } dated news documents. Ask me anything about them.
small-thanks = You're welcome! Ask me anything else about the visits.
small-ack = Anything else you would like to know about the visits and meetings?
small-bye = Goodbye! Come back with more questions any time.
small-empty = Please ask a question in words, for example: "When did the presidents last meet?"
small-command = I don't know that command. Send /help to see what I can do, or just ask a question.
command-ask = Ask a question (in groups: /ask your question)
command-help = What I know and how to ask
command-sources = The documents, newest first
command-timeline = The documented events in date order
usage-group = Usage: /ask your question — or mention @{ $bot } with the question, or reply to one of my answers.
help-title = Official visits, answered with dated sources
help-how = How to ask
help-private = • In a private chat: just send the question. Send a next question soon after, or reply to an answer, to follow up.
help-example-title = For example
help-example = What happened on { $date }?
# /sources and /timeline
sources-empty = No documents are indexed yet.
sources-count = { $count } { $count ->
    [one] document
   *[other] documents
  }, newest first
timeline-title = Timeline
timeline-empty = No dated documents are indexed yet.
timeline-undated = { $count } undated { $count ->
    [one] document
   *[other] documents
  } not shown.
page-newer = Newer
page-older = Older
page-earlier = Earlier
page-later = Later
# The administrators' part of /help
help-admin-title = For administrators
help-admin-file = Send me a PDF, Word (.docx), web page (.html) or text file here to add it; I reply with its title, date and passages once it can be asked about.
help-admin-forward = Forward a channel post to add it, dated by the original post.
help-admin-add-example = /add text
help-admin-add = adds pasted text (its first line is the title).
help-admin-remove-example = /remove id
help-admin-remove = removes a document (or press Remove under its confirmation); /reindex re-embeds the corpus.
# /reindex
reindex-not-admin = Sorry, only the bot's administrators can run /reindex.
reindex-unavailable = Reindexing is not available in this deployment.
reindex-running = A reindex is already running; I will post its summary when it finishes.
reindex-started = Reindexing the corpus in the background; I will reply here when it is done.
reindex-finished = Reindex finished: { $added } added, { $changed } changed, { $removed } removed, { $unchanged } unchanged; { $chunks } chunks in { $seconds } s.
reindex-failed = Reindex failed. { $reason }
# Documents added from Telegram
intake-not-admin = Only the bot's administrators can add or remove documents; please send your question as text.
intake-unavailable = Adding documents is not available in this deployment.
add-usage = Send /add followed by the text of a news item: its first line becomes the title, and a date at the top (“BISHKEK, 3 September 2025 —”) dates it; without one it is dated today.
remove-usage = Send /remove followed by a document id, as shown when the document was added (for example { $example }).
intake-what-text = the text
intake-what-post = the post
intake-no-date-note = No date in the text: dated by your message.
intake-empty-post = That post has no text to add (its text, caption and attached document are read). Nothing was saved.
intake-index-failed = Could not index { $what }, so it was not added: { $reason }
intake-not-indexed = { $what } could not be indexed, so it was not added.
intake-added = Added: { $title }
intake-updated = Updated: { $title }
intake-existing = Already in the corpus: { $title }
intake-dated = Dated { $date }.
intake-undated = No date found: indexed as undated (a dateline such as “3 September 2025” at the top, or a date in the file name, would date it).
intake-source = Source: { $url }
intake-passages = { $count } { $count ->
    [one] passage
   *[other] passages
  }; id { $id }. It can be asked about now.
intake-remove-button = Remove
intake-removing = Removing…
remove-unknown = No document has the id { $label }.
remove-not-reembedded = Removed the file of { $label }, but re-embedding failed ({ $reason }); the next /reindex drops it.
removed = Removed { $label }; it is no longer in the answers.
# Files that cannot be added
file-unsupported = Skipped { $name }: unsupported type ({ $extension }). I read { $types }. Nothing was saved.
file-unreadable = Could not add { $name }: it { $reason }. Nothing was saved.
file-too-large = { $name } is { $size }, over the { $limit } limit for one document; nothing was saved.
file-too-large-unknown = { $name } is larger than the { $limit } limit for one document; nothing was saved.
file-no-path = Telegram did not let me download { $name }; please send it again.
file-download-failed = I could not download { $name } from Telegram ({ $why }); please send it again.
# The terminal chat (npm start without a bot token)
terminal-command-help = this text
terminal-command-sources = documents, newest first
terminal-command-timeline = dated documents in date order
terminal-command-new = forget the conversation
terminal-command-quit = leave, as Ctrl+D does
terminal-commands = Commands: { $list }.
terminal-intro = Ask about official visits and meetings: { $documents } documents{ $period }.
terminal-period = {" "}from { $from } to { $to }
terminal-try = Try: { $examples }
terminal-or = {" "}or{" "}
terminal-undated = ({ $count } undated { $count ->
        [one] document
       *[other] documents
    } not shown.)
terminal-new = Starting a new conversation.
terminal-ask-usage = Type a question after /ask, or just type the question.
terminal-unknown = Unknown command /{ $name }. Commands: { $list }; anything else is a question.
