/**
 * A fake Telegram Bot API over real HTTP on 127.0.0.1 (ephemeral port). The bot under test
 * reaches it through `TELEGRAM_API_ROOT` exactly as it reaches Telegram: `/bot<token>/<method>`.
 *
 * - Updates are queued with `pushMessage` / `pushCallbackQuery` / `pushUpdate` and served by
 *   `getUpdates`, which honours `offset`, `limit` and `timeout` (long poll that returns as soon
 *   as an update is pushed, or when the client aborts, or when the fake closes).
 * - `sendMessage` / `editMessageText` check what Telegram checks: HTML that Telegram would refuse
 *   ("can't parse entities"), texts over 4,096 characters, empty texts, `callback_data` over
 *   64 bytes, unknown messages to edit, and "message is not modified".
 * - Every call is recorded with its JSON body; `failNext` scripts 429 (retry_after), 5xx or any
 *   400 for the next N calls of a method.
 * - Files: `addFile` stores bytes as Telegram stores what users send; `getFile` gives their
 *   `file_path` (and refuses files over the Bot API's 20 MB with "file is too big"), and
 *   `GET /file/bot<token>/<file_path>` serves them (recorded as a `downloadFile` call).
 *   `pushDocument` sends one in a message; `pushChannelPost` / `pushChannelEdit` post in a channel.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Any JSON value sent or received. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One recorded API call. */
export interface RecordedCall {
  method: string;
  body: Record<string, any>;
  /** When the request arrived (ms since epoch). */
  at: number;
  ok: boolean;
  result?: any;
  errorCode?: number;
  description?: string;
}

/** A scripted failure. */
export interface Failure {
  errorCode: number;
  description?: string;
  /** For 429: seconds the client must wait. */
  retryAfter?: number;
  /** Only calls whose body matches fail (and count). */
  when?: (body: Record<string, any>) => boolean;
}

/** What `pushMessage` builds. */
export interface PushMessageInput {
  chatId: number;
  /** Default `private` when chatId > 0, else `supergroup`. */
  chatType?: "private" | "group" | "supergroup";
  /** Sender id; default chatId in private chats, 1001 in groups. */
  fromId?: number;
  text?: string;
  /** Id of the message this one replies to (looked up among the messages the fake knows). */
  replyTo?: number;
  /** Forum topic id: the message is posted in that topic. */
  threadId?: number;
  /** Who created the forum topic (the implicit `reply_to_message` of topic messages). Default the sender. */
  topicCreatorId?: number;
  /** Entities; default derived from the text as Telegram does (commands at 0, @mentions). */
  entities?: JsonObject[];
  /** Instead of text: a sticker, a photo or a voice message. */
  kind?: "sticker" | "photo" | "voice";
  /** `forward_origin` of a forwarded message, e.g. `{ type: "channel", chat, message_id, date }`. */
  forwardOrigin?: JsonObject;
  /** A document (from `addFile`) instead of text; `text` then becomes its caption. */
  document?: JsonObject;
  /** The sender's Telegram interface language (`from.language_code`, e.g. "ru"); default none. */
  languageCode?: string;
}

/** A file the fake stores (`addFile`). */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  bytes: Buffer;
}

/** The Bot API's limit on files a bot downloads. */
export const FAKE_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

const ALLOWED_TAGS = new Set([
  "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji",
]);

/** Checks Telegram HTML like the Bot API does. Returns the visible text, or the error description. */
export function parseTelegramHtml(html: string): { ok: true; text: string } | { ok: false; description: string } {
  let text = "";
  const stack: string[] = [];
  let i = 0;
  const fail = (why: string) => ({ ok: false as const, description: `Bad Request: can't parse entities: ${why} at byte offset ${Buffer.byteLength(html.slice(0, i))}` });
  while (i < html.length) {
    const ch = html[i];
    if (ch === "<") {
      const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*>/.exec(html.slice(i));
      if (!m) return fail("Unexpected end name token" + (html[i + 1] === "/" ? "" : " / unsupported start tag"));
      const name = m[2].toLowerCase();
      if (!ALLOWED_TAGS.has(name)) return fail(`Unsupported start tag "${name}"`);
      if (m[1]) {
        if (stack.pop() !== name) return fail(`Unmatched end tag "${name}"`);
      } else {
        if (name === "a" && !/href\s*=/.test(m[3])) return fail("Can't find end of href attribute");
        stack.push(name);
      }
      i += m[0].length;
    } else if (ch === "&") {
      const m = /^&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);/.exec(html.slice(i));
      if (!m) return fail("Unsupported HTML entity or bare &");
      text += m[1] === "lt" ? "<" : m[1] === "gt" ? ">" : m[1] === "amp" ? "&" : m[1] === "quot" ? '"' : "?";
      i += m[0].length;
    } else if (ch === ">") {
      return fail("Unexpected >");
    } else {
      text += ch;
      i++;
    }
  }
  if (stack.length > 0) {
    i = html.length;
    return fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`);
  }
  return { ok: true, text };
}

const deriveEntities = (text: string): JsonObject[] => {
  const entities: JsonObject[] = [];
  const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  if (command) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
  for (const m of text.matchAll(/(^|[^A-Za-z0-9_/])(@[A-Za-z0-9_]{5,32})/g)) {
    entities.push({ type: "mention", offset: (m.index ?? 0) + m[1].length, length: m[2].length });
  }
  return entities;
};

/** A running fake Bot API. */
export class FakeTelegramApi {
  readonly calls: RecordedCall[] = [];
  /** The bot's own user (`getMe`). */
  readonly botUser = { id: 777000111, is_bot: true, first_name: "Visits Bot", username: "VisitsTestBot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  /** Highest `offset` a client has confirmed with getUpdates. */
  confirmedOffset = 0;
  /** The webhook set by `setWebhook`, if any. */
  webhook: { url: string; secretToken?: string } | null = null;
  /** How many times each update id was handed out by getUpdates. */
  readonly deliveries = new Map<number, number>();
  /** Channels the bot administers (`getChatMember` of the bot there says `administrator`; elsewhere `left`). */
  readonly adminChannels = new Set<number>();
  /** While true, getUpdates never answers (a stalled connection) until the client gives up. */
  stallGetUpdates = false;

  private readonly server: http.Server;
  private readonly updates: JsonObject[] = [];
  private nextUpdateId = 1;
  private readonly waiters = new Set<() => void>();
  private readonly callListeners = new Set<() => void>();
  private readonly failures = new Map<string, Array<Failure & { remaining: number }>>();
  private readonly messages = new Map<string, JsonObject>();
  private readonly nextMessageId = new Map<number, number>();
  private readonly chats = new Map<number, JsonObject>();
  private readonly files = new Map<string, StoredFile>();
  private closed = false;
  private port = 0;

  private constructor(readonly token: string) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /** Starts a fake on 127.0.0.1 with an ephemeral port. */
  static async start(options: { token?: string } = {}): Promise<FakeTelegramApi> {
    const fake = new FakeTelegramApi(options.token ?? "123456789:TEST-fake_token_for_tests");
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The value for TELEGRAM_API_ROOT. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---- updates ------------------------------------------------------------------------------

  /** The `update_id` of the update queued last (0 before any). */
  get lastUpdateId(): number {
    return this.nextUpdateId - 1;
  }

  /** Queues an update; returns it with its `update_id`. */
  pushUpdate(update: JsonObject): JsonObject {
    const full = { update_id: this.nextUpdateId++, ...update };
    this.updates.push(full);
    for (const wake of [...this.waiters]) wake();
    return full;
  }

  private chatFor(chatId: number, chatType?: PushMessageInput["chatType"], forum = false): JsonObject {
    const type = chatType ?? (chatId > 0 ? "private" : "supergroup");
    const known = this.chats.get(chatId);
    if (known && known.type === type && (!forum || known.is_forum)) return known;
    const chat: JsonObject =
      type === "private" ? { id: chatId, type, first_name: `User ${chatId}` } : { id: chatId, type, title: `Group ${chatId}`, ...(forum ? { is_forum: true } : {}) };
    this.chats.set(chatId, chat);
    return chat;
  }

  private allocateMessageId(chatId: number): number {
    const id = this.nextMessageId.get(chatId) ?? 100;
    this.nextMessageId.set(chatId, id + 1);
    return id;
  }

  private userFor(id: number): JsonObject {
    return id === this.botUser.id ? { ...this.botUser } : { id, is_bot: false, first_name: `User${id}`, username: `user${id}` };
  }

  /** Builds a new message (text, sticker, photo, voice) as Telegram would, queues its update, returns the message. */
  pushMessage(input: PushMessageInput): JsonObject & { message_id: number } {
    return this.pushMessageUpdate(input, "message");
  }

  /** Queues an `edited_message` update for a message the fake knows, with new text. */
  pushEdit(chatId: number, messageId: number, text: string): JsonObject {
    const original = this.messages.get(`${chatId}:${messageId}`);
    if (!original) throw new Error(`pushEdit: no message ${messageId} in chat ${chatId}`);
    const edited = { ...original, text, entities: deriveEntities(text), edit_date: Math.floor(Date.now() / 1000) };
    this.messages.set(`${chatId}:${messageId}`, edited);
    return this.pushUpdate({ edited_message: edited });
  }

  private pushMessageUpdate(input: PushMessageInput, field: "message"): JsonObject & { message_id: number } {
    const chat = this.chatFor(input.chatId, input.chatType, input.threadId !== undefined);
    const fromId = input.fromId ?? (chat.type === "private" ? input.chatId : 1001);
    const message: JsonObject = {
      message_id: this.allocateMessageId(input.chatId),
      from: { ...this.userFor(fromId), ...(input.languageCode ? { language_code: input.languageCode } : {}) },
      chat,
      date: Math.floor(Date.now() / 1000),
    };
    if (input.threadId !== undefined) {
      message.message_thread_id = input.threadId;
      message.is_topic_message = true;
    }
    if (input.replyTo !== undefined) {
      const replied = this.messages.get(`${input.chatId}:${input.replyTo}`);
      if (!replied) throw new Error(`pushMessage: no message ${input.replyTo} in chat ${input.chatId} to reply to`);
      const { reply_to_message: _drop, ...shallow } = replied;
      message.reply_to_message = shallow;
    } else if (input.threadId !== undefined) {
      // Telegram: a topic message without an explicit reply "replies" to the topic's first message.
      message.reply_to_message = {
        message_id: input.threadId,
        from: this.userFor(input.topicCreatorId ?? fromId),
        chat,
        date: Math.floor(Date.now() / 1000) - 60,
        message_thread_id: input.threadId,
        forum_topic_created: { name: "Topic", icon_color: 7322096 },
        is_topic_message: true,
      };
    }
    if (input.kind === "sticker") message.sticker = { file_id: "sticker1", file_unique_id: "s1", type: "regular", width: 512, height: 512, is_animated: false, is_video: false };
    else if (input.kind === "photo") message.photo = [{ file_id: "photo1", file_unique_id: "p1", width: 90, height: 90 }];
    else if (input.kind === "voice") message.voice = { file_id: "voice1", file_unique_id: "v1", duration: 2 };
    else if (input.document) {
      message.document = input.document;
      if (input.text) message.caption = input.text;
    } else {
      message.text = input.text ?? "";
      const entities = input.entities ?? deriveEntities(input.text ?? "");
      if (entities.length > 0) message.entities = entities;
    }
    if (input.forwardOrigin) {
      message.forward_origin = input.forwardOrigin;
      message.forward_date = input.forwardOrigin.date as number;
    }
    this.messages.set(`${input.chatId}:${message.message_id}`, message);
    this.pushUpdate({ [field]: message });
    return message as JsonObject & { message_id: number };
  }

  // ---- files and channels -------------------------------------------------------------------

  /** Stores a file as Telegram stores what a user sends; returns it with its ids and path. */
  addFile(bytes: Buffer, options: { extension?: string } = {}): StoredFile {
    const n = this.files.size + 1;
    const file: StoredFile = { fileId: `doc-file-${n}`, fileUniqueId: `uniq${n}`, filePath: `documents/file_${n}${options.extension ?? ""}`, bytes };
    this.files.set(file.fileId, file);
    return file;
  }

  /**
   * A private message carrying a document: the bytes are stored (`addFile`) and the message
   * says `file_name`, `mime_type` and `file_size` (unless `declareSize` is false, as for some clients).
   */
  pushDocument(input: { chatId: number; fromId?: number; fileName?: string; mimeType?: string; bytes: Buffer; caption?: string; declareSize?: boolean; forwardOrigin?: JsonObject; languageCode?: string }): JsonObject & { message_id: number } {
    const extension = input.fileName && /\.[A-Za-z0-9]+$/.exec(input.fileName)?.[0];
    const stored = this.addFile(input.bytes, extension ? { extension } : {});
    const document: JsonObject = { file_id: stored.fileId, file_unique_id: stored.fileUniqueId };
    if (input.fileName !== undefined) document.file_name = input.fileName;
    if (input.mimeType !== undefined) document.mime_type = input.mimeType;
    if (input.declareSize !== false) document.file_size = input.bytes.length;
    return this.pushMessage({
      chatId: input.chatId,
      ...(input.fromId !== undefined ? { fromId: input.fromId } : {}),
      document,
      ...(input.caption !== undefined ? { text: input.caption } : {}),
      ...(input.forwardOrigin ? { forwardOrigin: input.forwardOrigin } : {}),
      ...(input.languageCode ? { languageCode: input.languageCode } : {}),
    });
  }

  /** A channel chat object as Telegram sends it (`username` for a public channel). */
  channel(id: number, title: string, username?: string): JsonObject {
    return { id, type: "channel", title, ...(username ? { username } : {}) };
  }

  /** A `document` object for a message, its bytes stored (`addFile`). */
  documentOf(fileName: string, bytes: Buffer, mimeType?: string): JsonObject {
    const extension = /\.[A-Za-z0-9]+$/.exec(fileName)?.[0];
    const stored = this.addFile(bytes, extension ? { extension } : {});
    return { file_id: stored.fileId, file_unique_id: stored.fileUniqueId, file_name: fileName, file_size: bytes.length, ...(mimeType ? { mime_type: mimeType } : {}) };
  }

  /** Queues a `channel_post` in a channel; `date` in Unix seconds (default now); with `document` the text is its caption. */
  pushChannelPost(input: { chat: JsonObject; text: string; date?: number; document?: JsonObject }): JsonObject & { message_id: number } {
    const chatId = input.chat.id as number;
    const post: JsonObject = {
      message_id: this.allocateMessageId(chatId),
      sender_chat: input.chat,
      chat: input.chat,
      date: input.date ?? Math.floor(Date.now() / 1000),
      ...(input.document ? { document: input.document, ...(input.text ? { caption: input.text } : {}) } : { text: input.text }),
    };
    this.messages.set(`${chatId}:${post.message_id}`, post);
    this.pushUpdate({ channel_post: post });
    return post as JsonObject & { message_id: number };
  }

  /** Queues an `edited_channel_post` of a post the fake knows, with new text (its `date` stays the original's). */
  pushChannelEdit(chatId: number, messageId: number, text: string): JsonObject {
    const original = this.messages.get(`${chatId}:${messageId}`);
    if (!original) throw new Error(`pushChannelEdit: no post ${messageId} in channel ${chatId}`);
    const edited = { ...original, text, edit_date: Math.floor(Date.now() / 1000) };
    this.messages.set(`${chatId}:${messageId}`, edited);
    return this.pushUpdate({ edited_channel_post: edited });
  }

  /** Queues a press of an inline button under a message the fake knows. */
  pushCallbackQuery(input: { chatId: number; messageId: number; data: string; fromId?: number; languageCode?: string }): JsonObject {
    const message = this.messages.get(`${input.chatId}:${input.messageId}`);
    if (!message) throw new Error(`pushCallbackQuery: no message ${input.messageId} in chat ${input.chatId}`);
    return this.pushUpdate({
      callback_query: {
        id: `cq${this.nextUpdateId}`,
        from: { ...this.userFor(input.fromId ?? (input.chatId > 0 ? input.chatId : 1001)), ...(input.languageCode ? { language_code: input.languageCode } : {}) },
        message,
        chat_instance: `ci${input.chatId}`,
        data: input.data,
      },
    });
  }

  /** POSTs an update to the webhook the bot registered (webhook mode); resolves with the HTTP status. */
  async deliverWebhook(update: JsonObject, options: { secretToken?: string } = {}): Promise<number> {
    if (!this.webhook) throw new Error("deliverWebhook: no webhook was set");
    const full = { update_id: this.nextUpdateId++, ...update };
    const response = await fetch(this.webhook.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": options.secretToken ?? this.webhook.secretToken ?? "" },
      body: JSON.stringify(full),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Builds a message like `pushMessage` but returns its update instead of queueing it (for webhooks). */
  buildMessageUpdate(input: PushMessageInput): JsonObject {
    const before = this.updates.length;
    this.pushMessage(input);
    const [update] = this.updates.splice(before, 1);
    const { update_id: _id, ...rest } = update;
    return rest;
  }

  // ---- scripting and inspection ---------------------------------------------------------------

  /** The next `count` calls of `method` (matching `when`, if given) fail as described. */
  failNext(method: string, count: number, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push({ ...failure, remaining: count });
    this.failures.set(method, list);
  }

  /** Drops the scripted failures of one method (or of all). */
  clearFailures(method?: string): void {
    if (method === undefined) this.failures.clear();
    else this.failures.delete(method);
  }

  /** Recorded calls of one method (optionally filtered). */
  callsTo(method: string, where?: (call: RecordedCall) => boolean): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (!where || where(c)));
  }

  /** Successful sendMessage calls to one chat. */
  sentTo(chatId: number): RecordedCall[] {
    return this.callsTo("sendMessage", (c) => c.ok && c.body.chat_id === chatId);
  }

  /** The stored message (as the fake last saw it). */
  message(chatId: number, messageId: number): JsonObject | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  /**
   * Resolves with the matching calls once there are at least `count`; rejects after `timeoutMs`
   * (default 5,000; the third argument may be that number alone).
   */
  waitForCalls(
    method: string,
    count: number,
    optionsOrTimeoutMs: number | { timeoutMs?: number; where?: (call: RecordedCall) => boolean } = {},
  ): Promise<RecordedCall[]> {
    const options = typeof optionsOrTimeoutMs === "number" ? { timeoutMs: optionsOrTimeoutMs } : optionsOrTimeoutMs;
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.callsTo(method, options.where);
        if (found.length < count) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.calls.filter((c) => c.method !== "getUpdates").map((c) => `${c.method}${c.ok ? "" : `(${c.errorCode})`}`);
        reject(new Error(`waitForCalls: wanted ${count} ${method}, got ${this.callsTo(method, options.where).length} in ${timeoutMs} ms; calls: ${seen.join(", ") || "none"}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.callListeners.delete(listener);
      };
      const listener = (): void => void check();
      if (check()) return;
      this.callListeners.add(listener);
    });
  }

  /** Waits until no call arrived for `quietMs` (default 150), at most `timeoutMs` (default 3,000). */
  async settle(options: { quietMs?: number; timeoutMs?: number } = {}): Promise<void> {
    const quietMs = options.quietMs ?? 150;
    const deadline = Date.now() + (options.timeoutMs ?? 3000);
    let count = -1;
    while (Date.now() < deadline) {
      const now = this.calls.filter((c) => c.method !== "getUpdates").length;
      if (now === count) return;
      count = now;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  /** Stops the server: pending long polls return empty, connections are closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- HTTP -------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
    if (download && req.method === "GET") return this.serveFile(download[1], decodeURIComponent(download[2]), res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathname);
    const reply = (status: number, payload: JsonObject): void => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (!match) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    if (match[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = match[2];
    let body: Record<string, any> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, any>) : {};
    } catch {
      return reply(400, { ok: false, error_code: 400, description: "Bad Request: body is not JSON" });
    }
    const call: RecordedCall = { method, body, at: Date.now(), ok: false };
    const finish = (result: { ok: true; result: unknown } | { ok: false; errorCode: number; description: string; retryAfter?: number }): void => {
      if (result.ok) {
        call.ok = true;
        call.result = result.result;
        this.record(call);
        reply(200, { ok: true, result: result.result as Json });
      } else {
        call.errorCode = result.errorCode;
        call.description = result.description;
        this.record(call);
        reply(result.errorCode, {
          ok: false,
          error_code: result.errorCode,
          description: result.description,
          ...(result.retryAfter !== undefined ? { parameters: { retry_after: result.retryAfter } } : {}),
        });
      }
    };

    const failure = this.takeFailure(method, body);
    if (failure) {
      const description =
        failure.description ??
        (failure.errorCode === 429 ? `Too Many Requests: retry after ${failure.retryAfter ?? 1}` : failure.errorCode >= 500 ? "Internal Server Error" : "Bad Request");
      return finish({ ok: false, errorCode: failure.errorCode, description, ...(failure.errorCode === 429 ? { retryAfter: failure.retryAfter ?? 1 } : {}) });
    }

    if (method === "getUpdates" && this.stallGetUpdates) {
      await new Promise<void>((resolve) => req.socket.once("close", resolve));
      return;
    }
    if (method === "getUpdates") {
      const updates = await this.longPoll(body, req);
      call.ok = true;
      call.result = updates;
      this.record(call);
      return reply(200, { ok: true, result: updates });
    }
    finish(this.apply(method, body));
  }

  /** `GET /file/bot<token>/<file_path>`: the stored bytes, recorded as a `downloadFile` call. */
  private serveFile(token: string, filePath: string, res: http.ServerResponse): void {
    const call: RecordedCall = { method: "downloadFile", body: { file_path: filePath }, at: Date.now(), ok: false };
    const file = [...this.files.values()].find((f) => f.filePath === filePath);
    if (token !== this.token || !file) {
      call.errorCode = token !== this.token ? 401 : 404;
      this.record(call);
      res.writeHead(call.errorCode, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error_code: call.errorCode, description: call.errorCode === 401 ? "Unauthorized" : "Not Found" }));
      return;
    }
    call.ok = true;
    this.record(call);
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(file.bytes.length) });
    res.end(file.bytes);
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const listener of [...this.callListeners]) listener();
  }

  private takeFailure(method: string, body: Record<string, any>): Failure | undefined {
    const list = this.failures.get(method);
    if (!list) return undefined;
    const failure = list.find((f) => f.remaining > 0 && (!f.when || f.when(body)));
    if (!failure) return undefined;
    failure.remaining--;
    return failure;
  }

  private async longPoll(body: Record<string, any>, req: http.IncomingMessage): Promise<JsonObject[]> {
    const offset = typeof body.offset === "number" ? body.offset : 0;
    const limit = Math.min(Math.max(Number(body.limit ?? 100), 1), 100);
    const timeoutSeconds = Number(body.timeout ?? 0);
    if (offset > 0) {
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
      while (this.updates.length > 0 && (this.updates[0].update_id as number) < offset) this.updates.shift();
    }
    const ready = (): JsonObject[] => this.updates.filter((u) => (u.update_id as number) >= offset).slice(0, limit);
    let batch = ready();
    if (batch.length === 0 && timeoutSeconds > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          req.socket.off("close", done);
          resolve();
        };
        const timer = setTimeout(done, timeoutSeconds * 1000);
        this.waiters.add(done);
        req.socket.once("close", done); // the client aborted (runner stopping)
      });
      batch = this.closed || req.socket.destroyed ? [] : ready();
    }
    for (const u of batch) this.deliveries.set(u.update_id as number, (this.deliveries.get(u.update_id as number) ?? 0) + 1);
    return batch;
  }

  private apply(method: string, body: Record<string, any>): { ok: true; result: unknown } | { ok: false; errorCode: number; description: string } {
    const bad = (description: string) => ({ ok: false as const, errorCode: 400, description: `Bad Request: ${description}` });
    switch (method) {
      case "getMe":
        return { ok: true, result: this.botUser };
      case "deleteWebhook":
        this.webhook = null;
        return { ok: true, result: true };
      case "setWebhook":
        this.webhook = { url: String(body.url), ...(body.secret_token ? { secretToken: String(body.secret_token) } : {}) };
        return { ok: true, result: true };
      case "sendMessage":
      case "editMessageText": {
        const chatId = Number(body.chat_id);
        const chat = this.chats.get(chatId);
        if (!chat) return bad("chat not found");
        const checked = this.checkText(body);
        if (!checked.ok) return { ok: false, errorCode: 400, description: checked.description };
        const markupError = this.checkMarkup(body.reply_markup);
        if (markupError) return bad(markupError);
        if (method === "editMessageText") {
          const key = `${chatId}:${Number(body.message_id)}`;
          const existing = this.messages.get(key);
          if (!existing || (existing.from as JsonObject | undefined)?.id !== this.botUser.id) return bad("message to edit not found");
          const sameMarkup = JSON.stringify(existing.reply_markup ?? null) === JSON.stringify(body.reply_markup ?? null);
          if (existing.text === checked.text && sameMarkup) {
            return bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
          }
          const edited: JsonObject = { ...existing, text: checked.text, edit_date: Math.floor(Date.now() / 1000) };
          if (body.reply_markup) edited.reply_markup = body.reply_markup as Json;
          else delete edited.reply_markup;
          this.messages.set(key, edited);
          return { ok: true, result: edited };
        }
        const threadId = body.message_thread_id as number | undefined;
        if (threadId !== undefined && !chat.is_forum) return bad("message thread not found");
        const replyTo = (body.reply_parameters as JsonObject | undefined)?.message_id as number | undefined;
        const replied = replyTo !== undefined ? this.messages.get(`${chatId}:${replyTo}`) : undefined;
        if (replyTo !== undefined && !replied && !(body.reply_parameters as JsonObject).allow_sending_without_reply) return bad("message to be replied not found");
        const message: JsonObject = {
          message_id: this.allocateMessageId(chatId),
          from: { ...this.botUser },
          chat,
          date: Math.floor(Date.now() / 1000),
          text: checked.text,
          ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
          ...(replied ? { reply_to_message: (({ reply_to_message: _r, ...rest }) => rest)(replied) } : {}),
          ...(body.reply_markup ? { reply_markup: body.reply_markup as Json } : {}),
        };
        this.messages.set(`${chatId}:${message.message_id}`, message);
        return { ok: true, result: message };
      }
      case "getChatMember": {
        const chatId = Number(body.chat_id);
        const status = Number(body.user_id) === this.botUser.id && this.adminChannels.has(chatId) ? "administrator" : "left";
        return { ok: true, result: { status, user: this.userFor(Number(body.user_id)), ...(status === "administrator" ? { can_post_messages: true } : {}) } };
      }
      case "getFile": {
        const file = this.files.get(String(body.file_id));
        if (!file) return bad("invalid file_id");
        if (file.bytes.length > FAKE_DOWNLOAD_LIMIT_BYTES) return bad("file is too big");
        return { ok: true, result: { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.filePath } };
      }
      case "sendChatAction":
      case "answerCallbackQuery":
      case "setMyCommands":
      case "deleteMyCommands":
      case "close":
      case "logOut":
        return { ok: true, result: true };
      default:
        return { ok: true, result: true };
    }
  }

  private checkText(body: Record<string, any>): { ok: true; text: string } | { ok: false; description: string } {
    const raw = typeof body.text === "string" ? body.text : "";
    let text = raw;
    if (body.parse_mode === "HTML") {
      const parsed = parseTelegramHtml(raw);
      if (!parsed.ok) return parsed;
      text = parsed.text;
    } else if (body.parse_mode !== undefined) {
      return { ok: false, description: `Bad Request: unsupported parse_mode ${String(body.parse_mode)} in this fake` };
    }
    if (text.trim() === "") return { ok: false, description: "Bad Request: message text is empty" };
    if (text.length > 4096) return { ok: false, description: "Bad Request: message is too long" };
    return { ok: true, text };
  }

  private checkMarkup(markup: unknown): string | undefined {
    if (markup === undefined) return undefined;
    const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
    if (!Array.isArray(rows)) return "reply markup is not an inline keyboard";
    for (const row of rows) {
      for (const button of row as Array<Record<string, unknown>>) {
        if (typeof button.text !== "string" || button.text === "") return "button text is empty";
        if ("callback_data" in button) {
          const bytes = Buffer.byteLength(String(button.callback_data), "utf8");
          if (bytes < 1 || bytes > 64) return "BUTTON_DATA_INVALID";
        }
      }
    }
    return undefined;
  }
}
