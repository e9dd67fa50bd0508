/**
 * Following the change feed (DESIGN section 13). Each event carries its `cursor`, the place just after it; a reader
 * remembers the cursor of the last event it handled and starts there again, after a dropped connection (here) or a
 * restart (the caller, from the cursor it saved), and the service then sends every later event once.
 */
import { BotStateError } from "./errors.js";
import { delayBefore, isTransient, pause, type RetryPolicy } from "./retry.js";
import { serverSentEvents } from "./sse.js";
import type { ChangeEvent, ChangePage } from "./types.js";

/** The longest silence on a stream before it counts as dead: the service sends a keep-alive after 15 s. */
export const streamSilenceMs = 45_000;

/**
 * The events after `first`, a page at a time. Without `follow` it ends at the first empty page and throws every
 * failure; following, it never ends, and a transient failure (no connection, a timeout, 429, 503) is waited out and
 * the page asked for again from the cursor of the last event yielded.
 */
export async function* followChanges(
  first: string | undefined,
  fetchPage: (cursor: string | undefined) => Promise<ChangePage>,
  follow: boolean,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
): AsyncGenerator<ChangeEvent, void, undefined> {
  let cursor = first;
  let failures = 0;
  for (;;) {
    let page: ChangePage;
    try {
      page = await fetchPage(cursor);
    } catch (error) {
      if (!follow || !isTransient(error)) {
        throw error;
      }
      failures++;
      await pause(delayBefore(failures, error, policy), signal);
      continue;
    }
    failures = 0;
    for (const event of page.items) {
      yield event;
      cursor = event.cursor;
    }
    if (page.items.length === 0) {
      if (!follow) {
        return;
      }
      // The same cursor when one was sent; from the start, the place the service says the start is.
      cursor = page.next_cursor || cursor;
    }
  }
}

/**
 * The events after `first` from the Server-Sent Events stream, for ever: a stream that ends, breaks or stays silent
 * longer than the keep-alives allow is opened again with Last-Event-ID set to the last event yielded. Failures that
 * waiting cannot mend (401, 403, a cursor the service refuses) are thrown, and so is the caller's abort.
 */
export async function* followStream(
  first: string | undefined,
  open: (lastEventId: string | undefined, signal: AbortSignal) => Promise<Response>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
): AsyncGenerator<ChangeEvent, void, undefined> {
  let cursor = first;
  let failures = 0;
  for (;;) {
    const silence = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(() => silence.abort(new Error("the change stream was silent too long")), streamSilenceMs);
    };
    let failure: unknown;
    try {
      quiet();
      const response = await open(cursor, signal ? AbortSignal.any([signal, silence.signal]) : silence.signal);
      for await (const message of serverSentEvents(watched(response.body, quiet))) {
        const event = JSON.parse(message.data) as ChangeEvent;
        failures = 0;
        yield event;
        cursor = event.cursor;
      }
    } catch (error) {
      signal?.throwIfAborted();
      // An answer that never began with a 200 says why; a body that broke after it is a dropped connection.
      if (error instanceof BotStateError && !isTransient(error)) {
        throw error;
      }
      failure = error;
    } finally {
      clearTimeout(timer);
      silence.abort();
    }
    failures++;
    await pause(isTransient(failure) ? delayBefore(failures, failure, policy) : Math.min(policy.initialDelayMs * 2 ** failures, 5_000), signal);
  }
}

// The body's chunks, calling `heard` at each, so that the caller can tell a live stream from a dead one.
async function* watched(body: ReadableStream<Uint8Array> | null, heard: () => void): AsyncGenerator<Uint8Array, void, undefined> {
  if (!body) {
    return;
  }
  for await (const chunk of body) {
    heard();
    yield chunk;
  }
}
