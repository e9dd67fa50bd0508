import { randomUUID } from "node:crypto";
import { NotFoundError, PreconditionFailedError } from "./errors.js";
import { ifMatch, versionFromETag } from "./etags.js";
import { ndjsonValues } from "./ndjson.js";
import { followChanges, followStream } from "./feed.js";
import { followPages } from "./paging.js";
import { Transport, type CallOptions, type JsonAnswer, type TransportOptions } from "./transport.js";
import type {
  ActiveIntentAnswer,
  ChangeEvent,
  ChangePage,
  ConversationFilters,
  ConversationItem,
  ConversationPage,
  ErasureResult,
  ExportLine,
  FailedDelivery,
  HistoryItem,
  HistoryPage,
  Message,
  State,
  StateInput,
} from "./types.js";

export type BotStateClientOptions = TransportOptions;

/** A state and the version it is stored at (its ETag). */
export interface VersionedState {
  state: State;
  version: number;
}

/** What a PUT stored, and whether it created the conversation. */
export interface SaveResult extends VersionedState {
  created: boolean;
}

/** What a turn left, and whether the answer repeats an earlier one with the same Idempotency-Key. */
export interface TurnResult extends VersionedState {
  replayed: boolean;
}

export interface SaveOptions extends CallOptions {
  /** Store only if the state is still at this version (If-Match), else PreconditionFailedError. */
  ifMatch?: number | undefined;
  /** Store only if the conversation does not exist yet (If-None-Match: *), else PreconditionFailedError. */
  createOnly?: boolean | undefined;
}

export interface TurnOptions extends CallOptions {
  /** Apply the turn only if the state is still at this version (If-Match). */
  ifMatch?: number | undefined;
  /**
   * Makes the turn safe to send again: the service applies one key's turn once and answers its copies with the first
   * result. By default a random UUID per call, reused by that call's retries; pass your own to make a retry of yours
   * (after a crash, say) safe too, or false to send none, and then the turn is never retried.
   */
  idempotencyKey?: string | false | undefined;
}

export interface DeleteOptions extends CallOptions {
  /** Forget the conversation only if its state is still at this version (If-Match). */
  ifMatch?: number | undefined;
}

export interface HistoryOptions extends CallOptions {
  /** Snapshots per page, 1 to 100 (the service's default is 20). */
  limit?: number | undefined;
  /** Only snapshots older than this version: a page's next_before. */
  before?: number | undefined;
}

export interface ListOptions extends CallOptions {
  /** Conversations per page, 1 to 1000 (the service's default is 100). */
  limit?: number | undefined;
  /** Where the page starts: the previous page's next_cursor. */
  cursor?: string | undefined;
}

export interface ChangesOptions extends CallOptions {
  /** Events after this cursor: an event's `cursor` (or a page's next_cursor). Absent: from the oldest kept. */
  cursor?: string | undefined;
  /** Events per page, 1 to 1000 (the service's default is 100). */
  limit?: number | undefined;
  /** Seconds a page waits for an event when there is none, 0 to 30: 0 by default for getChanges, 30 for changes(). */
  wait?: number | undefined;
  /** changes() only: go on for ever, long-polling (the default), or end once caught up. */
  follow?: boolean | undefined;
}

export interface ChangeStreamOptions {
  /** Events after this cursor (an event's `cursor`); absent, from the oldest kept. */
  cursor?: string | undefined;
  /** Ends the stream: the loop rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

export interface RestoreOptions extends CallOptions {
  /** Restore only if the state is still at this version (If-Match), else PreconditionFailedError. */
  ifMatch?: number | undefined;
}

export interface ForkOptions extends CallOptions {
  /** The version whose snapshot the new conversation starts from; the current state when absent. */
  version?: number | undefined;
  /** Fork only if the source is still at this version (If-Match), else PreconditionFailedError. */
  ifMatch?: number | undefined;
}

export interface UpdateOptions extends CallOptions {
  /** How many times to read, change and save when someone else saves in between. Default 5. */
  attempts?: number | undefined;
}

/**
 * BotStateCluster's HTTP API (one gateway or API-serving silo at `baseUrl`): one method per operation of the
 * committed OpenAPI contract, named as operations.json lists them, plus iterators over its pages and a conditional
 * read-change-save.
 */
export class BotStateClient {
  private readonly transport: Transport;

  constructor(options: BotStateClientOptions) {
    this.transport = new Transport(options);
  }

  /** The current state and its version; NotFoundError when the conversation has none. */
  async getState(userId: string, options: CallOptions = {}): Promise<VersionedState> {
    return versioned(await this.transport.json<State>({ method: "GET", path: statePath(userId), repeatable: true }, options));
  }

  /** The current state when it is no longer at `knownVersion` (If-None-Match), else undefined; NotFoundError when none. */
  async getStateIfChanged(userId: string, knownVersion: number, options: CallOptions = {}): Promise<VersionedState | undefined> {
    const answer = await this.transport.json<State>(
      { method: "GET", path: statePath(userId), headers: { "If-None-Match": ifMatch(knownVersion) }, accept: [304], repeatable: true },
      options,
    );
    return answer.status === 304 ? undefined : versioned(answer);
  }

  /**
   * Stores `state` as the conversation's state (fields left out take their defaults). With `ifMatch` or `createOnly`
   * the save is conditional. Retried when safe; a conditional save whose first answer was lost can then report
   * PreconditionFailedError although that first attempt was stored.
   */
  async putState(userId: string, state: StateInput, options: SaveOptions = {}): Promise<SaveResult> {
    const answer = await this.transport.json<State>(
      {
        method: "PUT",
        path: statePath(userId),
        headers: {
          "If-Match": options.ifMatch === undefined ? undefined : ifMatch(options.ifMatch),
          "If-None-Match": options.createOnly ? "*" : undefined,
        },
        body: state,
        repeatable: true,
      },
      options,
    );
    return { ...versioned(answer), created: answer.status === 201 };
  }

  /**
   * Reads the state (undefined when there is none), lets `change` compute the next one, and stores it only if nobody
   * saved in between; otherwise reads again and retries, up to `attempts` times, then throws PreconditionFailedError.
   */
  async updateState(userId: string, change: (current: State | undefined) => StateInput | Promise<StateInput>, options: UpdateOptions = {}): Promise<SaveResult> {
    const attempts = options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const current = await this.getState(userId, options).catch((error: unknown) => {
        if (error instanceof NotFoundError) {
          return undefined;
        }
        throw error;
      });
      const next = await change(current?.state);
      try {
        return await this.putState(userId, next, current ? { ...options, ifMatch: current.version } : { ...options, createOnly: true });
      } catch (error) {
        if (!(error instanceof PreconditionFailedError) || attempt >= attempts) {
          throw error;
        }
      }
    }
  }

  /** Forgets the conversation, state and history; nothing happens when there is none. */
  async deleteState(userId: string, options: DeleteOptions = {}): Promise<void> {
    const condition = options.ifMatch === undefined ? undefined : ifMatch(options.ifMatch);
    await this.transport.json({ method: "DELETE", path: statePath(userId), headers: { "If-Match": condition }, repeatable: true }, options);
  }

  /** One turn: the service creates the state if needed and applies the message (a text, or the whole message). */
  async sendMessage(userId: string, message: string | Message, options: TurnOptions = {}): Promise<TurnResult> {
    const key = options.idempotencyKey === false ? undefined : (options.idempotencyKey ?? randomUUID());
    const answer = await this.transport.json<State>(
      {
        method: "POST",
        path: `${statePath(userId)}/messages`,
        headers: { "Idempotency-Key": key, "If-Match": options.ifMatch === undefined ? undefined : ifMatch(options.ifMatch) },
        body: typeof message === "string" ? { text: message } : message,
        // Without a key a copy would be a second turn; with one, the service applies the turn once.
        repeatable: key !== undefined,
      },
      options,
    );
    return { ...versioned(answer), replayed: answer.headers.get("Idempotent-Replayed") === "true" };
  }

  /** One page of the conversation's saved snapshots, newest first; `next_before` leads to the next. */
  async getHistory(userId: string, options: HistoryOptions = {}): Promise<HistoryPage> {
    const query = { limit: text(options.limit), before: text(options.before) };
    return body(await this.transport.json<HistoryPage>({ method: "GET", path: `${statePath(userId)}/history`, query, repeatable: true }, options));
  }

  /** Every saved snapshot of the conversation, newest first, fetched a page (`limit`) at a time as the loop asks. */
  history(userId: string, options: HistoryOptions = {}): AsyncGenerator<HistoryItem, void, undefined> {
    return followPages(
      options.before,
      (before) => this.getHistory(userId, { ...options, before }),
      (page) => page.items,
      (page) => page.next_before,
    );
  }

  /** The id of the conversation's active intent, or null; NotFoundError when the conversation has no state. */
  async getActiveIntent(userId: string, options: CallOptions = {}): Promise<string | null> {
    const answer = await this.transport.json<ActiveIntentAnswer>({ method: "GET", path: `${statePath(userId)}/active-intent`, repeatable: true }, options);
    return body(answer).intent_id;
  }

  /** One page of conversations, most recently updated first; `next_cursor` leads to the next. */
  async listStates(filters: ConversationFilters = {}, options: ListOptions = {}): Promise<ConversationPage> {
    const query = {
      ...filters,
      updated_after: instant(filters.updated_after),
      updated_before: instant(filters.updated_before),
      limit: text(options.limit),
      cursor: options.cursor,
    };
    return body(await this.transport.json<ConversationPage>({ method: "GET", path: "/v1/states", query, repeatable: true }, options));
  }

  /** Every conversation that matches `filters`, most recently updated first, fetched a page (`limit`) at a time. */
  conversations(filters: ConversationFilters = {}, options: ListOptions = {}): AsyncGenerator<ConversationItem, void, undefined> {
    return followPages(
      options.cursor,
      (cursor) => this.listStates(filters, { ...options, cursor }),
      (page) => page.items,
      (page) => page.next_cursor,
    );
  }

  /** One saved snapshot: the state the conversation had at `version`. NotFoundError when that version is not kept. */
  async getSnapshot(userId: string, version: number, options: CallOptions = {}): Promise<HistoryItem> {
    const path = `${statePath(userId)}/history/${wholeVersion(version)}`;
    return body(await this.transport.json<HistoryItem>({ method: "GET", path, repeatable: true }, options));
  }

  /**
   * Makes the snapshot of `version` the current state again, as a new version. NotFoundError when the conversation
   * has none or the version is not kept (the detail names the oldest kept). Not retried after a lost answer, which
   * may have restored already: read the state to find out.
   */
  async restoreState(userId: string, version: number, options: RestoreOptions = {}): Promise<VersionedState> {
    const answer = await this.transport.json<State>(
      {
        method: "POST",
        path: `${statePath(userId)}/restore`,
        headers: { "If-Match": options.ifMatch === undefined ? undefined : ifMatch(options.ifMatch) },
        body: { version: wholeVersion(version) },
        repeatable: false,
      },
      options,
    );
    return versioned(answer);
  }

  /**
   * Starts the conversation `to` from a snapshot of `userId` (options.version) or its current state, and answers the
   * new conversation's state. AlreadyExistsError when `to` has a state; NotFoundError when `userId` has none or the
   * version is not kept. Not retried after a lost answer (a repeat would find `to` taken).
   */
  async forkState(userId: string, to: string, options: ForkOptions = {}): Promise<VersionedState> {
    const answer = await this.transport.json<State>(
      {
        method: "POST",
        path: `${statePath(userId)}/fork`,
        headers: { "If-Match": options.ifMatch === undefined ? undefined : ifMatch(options.ifMatch) },
        body: options.version === undefined ? { to } : { to, version: wholeVersion(options.version) },
        repeatable: false,
      },
      options,
    );
    return versioned(answer);
  }

  /** One page of the tenant's change feed after `cursor`, oldest first, waiting up to `wait` seconds for one. */
  async getChanges(options: ChangesOptions = {}): Promise<ChangePage> {
    const query = { cursor: options.cursor, limit: text(options.limit), wait: text(options.wait) };
    // The answer may take the whole wait, and the usual timeout after that.
    const heldMs = (options.wait ?? 0) * 1000;
    return body(await this.transport.json<ChangePage>({ method: "GET", path: "/v1/changes", query, repeatable: true, heldMs }, options));
  }

  /**
   * Every change of the tenant after `cursor`, oldest first. Following (the default) it long-polls `wait` seconds
   * (30) at a time and never ends: a dropped connection or a restarting service is waited out and the feed resumed
   * after the last event yielded. Save `event.cursor` once an event is handled and pass it after a restart: no
   * event is repeated or skipped. `follow: false` ends once caught up.
   */
  changes(options: ChangesOptions = {}): AsyncGenerator<ChangeEvent, void, undefined> {
    const follow = options.follow ?? true;
    const wait = follow ? (options.wait ?? 30) : 0;
    if (follow && wait < 1) {
      throw new RangeError("Following the feed needs a wait of 1 to 30 seconds, or it would poll without pause.");
    }
    return followChanges(options.cursor, (cursor) => this.getChanges({ ...options, cursor, wait }), follow, this.transport.retryPolicy, options.signal);
  }

  /**
   * The same events as changes(), over Server-Sent Events on one connection held open; never ends. A stream that
   * breaks is opened again with Last-Event-ID set to the last event yielded.
   */
  changeStream(options: ChangeStreamOptions = {}): AsyncGenerator<ChangeEvent, void, undefined> {
    const open = (lastEventId: string | undefined, signal: AbortSignal) =>
      this.transport.stream(
        { method: "GET", path: "/v1/changes/stream", headers: { "Last-Event-ID": lastEventId }, mediaType: "text/event-stream", repeatable: true },
        { signal },
      );
    return followStream(options.cursor, open, this.transport.retryPolicy, options.signal);
  }

  /** The tenant's webhook deliveries that failed after their last try, oldest event first, at most `limit`. */
  async getFailedDeliveries(options: CallOptions & { limit?: number | undefined } = {}): Promise<FailedDelivery[]> {
    const answer = await this.transport.json<{ items: FailedDelivery[] }>(
      { method: "GET", path: "/v1/changes/failed-deliveries", query: { limit: text(options.limit) }, repeatable: true },
      options,
    );
    return body(answer).items;
  }

  /**
   * Sends the failed deliveries named by `ids` (their `id`s) again, or all of them; answers how many go out again.
   * Retried like a read: at worst a delivery goes out once more, which receivers drop by its webhook-id.
   */
  async retryFailedDeliveries(ids?: Iterable<string>, options: CallOptions = {}): Promise<number> {
    const answer = await this.transport.json<{ retrying: number }>(
      { method: "POST", path: "/v1/changes/failed-deliveries/retry", body: ids === undefined ? {} : { ids: [...ids] }, repeatable: true },
      options,
    );
    return body(answer).retrying;
  }

  /**
   * Everything stored about one user, for a data-subject request: the current state (kind "state"), then every
   * snapshot, newest first (kind "snapshot"), read line by line as the service streams them. NotFoundError when none.
   */
  async *exportState(userId: string, options: CallOptions = {}): AsyncGenerator<ExportLine, void, undefined> {
    const response = await this.transport.stream(
      { method: "GET", path: `${statePath(userId)}/export`, mediaType: "application/x-ndjson", repeatable: true },
      options,
    );
    if (response.body) {
      yield* ndjsonValues<ExportLine>(response.body);
    }
  }

  /**
   * Erases up to 1000 conversations, each as deleteState does, and says which were erased, not found or failed.
   * Retried like a DELETE (erasing twice erases once; a 503 means nothing was erased); failed ids are safe to send again.
   */
  async eraseStates(threadIds: Iterable<string>, options: CallOptions = {}): Promise<ErasureResult> {
    const answer = await this.transport.json<ErasureResult>({ method: "POST", path: "/v1/erasures", body: { thread_ids: [...threadIds] }, repeatable: true }, options);
    return body(answer);
  }
}

/** The path of one conversation: the user id is one path segment, whatever characters it has. */
function statePath(userId: string): string {
  // URLs resolve "." and ".." segments (encoded or not), which would address another resource than this conversation.
  if (userId === "." || userId === "..") {
    throw new RangeError(`The user id '${userId}' cannot be one path segment; the service refuses it.`);
  }
  return `/v1/states/${encodeURIComponent(userId)}`;
}

function versioned(answer: JsonAnswer<State>): VersionedState {
  const version = versionFromETag(answer.headers.get("ETag"));
  if (version === undefined) {
    throw new TypeError(`The service answered ${answer.status} without the state's ETag.`);
  }
  return { state: body(answer), version };
}

function body<T>(answer: JsonAnswer<T>): T {
  if (answer.body === undefined) {
    throw new TypeError(`The service answered ${answer.status} with no body where the contract has one.`);
  }
  return answer.body;
}

function wholeVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new RangeError(`A version is a whole number from 1; got ${version}.`);
  }
  return version;
}

function text(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function instant(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value;
}
