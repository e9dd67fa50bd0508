import { BotStateError, ConnectionError, ProblemTypes, RequestTimeoutError, errorForAnswer } from "./errors.js";
import { defaultRetry, delayBefore, isTransient, parseRetryAfter, pause, type RetryOptions, type RetryPolicy } from "./retry.js";
import type { Problem } from "./types.js";

/** How a client reaches the service. */
export interface TransportOptions {
  /** Where the API is served: a gateway, or a silo that serves it itself (http://host:port, or with a path prefix). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` when the service requires keys. */
  apiKey?: string | undefined;
  /** The most one attempt may take, answer and body, in milliseconds. Default 10000. */
  timeoutMs?: number | undefined;
  retry?: RetryOptions | undefined;
  /** The fetch to use; Node's own by default. */
  fetch?: typeof fetch | undefined;
}

/** What any one call may say besides its own arguments. */
export interface CallOptions {
  /** Cancels the call, its retries and waits included: it rejects at once with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** The most one attempt of this call may take, in milliseconds, instead of the client's timeoutMs. */
  timeoutMs?: number | undefined;
}

/** One request of the API, as the client's methods describe it. */
export interface ApiRequest {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** The path, its segments already encoded. */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  /** Safe to send again after a failure: the service applies it at most once, however many copies arrive. */
  repeatable: boolean;
  /** Answers that are not errors besides 2xx (304 to a conditional read). */
  accept?: readonly number[];
  /** The media type asked for; JSON by default. */
  mediaType?: string;
  /** How long the service may hold the answer on purpose (a long poll), in milliseconds: added to the timeout. */
  heldMs?: number;
}

/** A JSON answer: its status and headers, and its body parsed (undefined when empty). */
export interface JsonAnswer<T> {
  status: number;
  headers: Headers;
  body: T | undefined;
}

const defaultTimeoutMs = 10_000;

/**
 * Sends the API's requests: the key, the timeouts, the caller's cancellation, errors as typed problems, and retries of
 * what is safe to repeat.
 */
export class Transport {
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly fetch: typeof fetch;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.retry = { ...defaultRetry, ...options.retry };
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** How this client retries, for the feed's readers, which go on after a failure from where they were. */
  get retryPolicy(): RetryPolicy {
    return this.retry;
  }

  /** Sends the request and reads its JSON answer; each attempt's timeout covers the body too. */
  async json<T>(request: ApiRequest, call: CallOptions = {}): Promise<JsonAnswer<T>> {
    const { response, text } = await this.send(request, call, true);
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as T) : undefined };
  }

  /** Sends the request and hands over its answer unread, for a body to stream: the timeout covers the answer's head only. */
  async stream(request: ApiRequest, call: CallOptions = {}): Promise<Response> {
    return (await this.send(request, call, false)).response;
  }

  private async send(request: ApiRequest, call: CallOptions, readBody: boolean): Promise<{ response: Response; text?: string }> {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      call.signal?.throwIfAborted();
      const held = request.heldMs ?? 0;
      const left = this.retry.maxElapsedMs + held - (performance.now() - started);
      const failure = await this.attempt(request, call, readBody, Math.max(1, Math.min((call.timeoutMs ?? this.timeoutMs) + held, left)));
      if (!(failure instanceof BotStateError)) {
        return failure;
      }

      const wait = delayBefore(attempt, failure, this.retry);
      const waitEnds = performance.now() - started + wait;
      if (!request.repeatable || !isTransient(failure) || attempt >= this.retry.maxAttempts || waitEnds >= this.retry.maxElapsedMs) {
        throw failure;
      }
      await pause(wait, call.signal);
    }
  }

  // One attempt: the answer (and its body, when asked), or the failure to decide a retry on. The caller's abort is thrown.
  private async attempt(request: ApiRequest, call: CallOptions, readBody: boolean, timeoutMs: number): Promise<{ response: Response; text?: string } | BotStateError> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    try {
      const response = await this.fetch(this.url(request), { method: request.method, headers: this.headers(request), body: this.body(request), signal });
      if (response.ok || request.accept?.includes(response.status)) {
        return readBody ? { response, text: await response.text() } : { response };
      }
      const problem = await problemOf(response);
      return errorForAnswer(response.status, response.statusText, problem, parseRetryAfter(response.headers.get("Retry-After")));
    } catch (error) {
      if (call.signal?.aborted) {
        throw call.signal.reason;
      }
      const where = `${request.method} ${request.path}`;
      return timeout.signal.aborted
        ? new RequestTimeoutError({ type: ProblemTypes.timeout, title: "Timeout", detail: `${where}: no answer from ${this.baseUrl} within ${Math.round(timeoutMs)} ms` }, { cause: error })
        : new ConnectionError({ type: ProblemTypes.connection, title: "Connection failed", detail: `${where}: ${this.baseUrl}: ${describe(error)}` }, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private url(request: ApiRequest): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) {
        query.set(name, value);
      }
    }
    const search = query.size > 0 ? `?${query}` : "";
    return `${this.baseUrl}${request.path}${search}`;
  }

  private headers(request: ApiRequest): Record<string, string> {
    const headers: Record<string, string> = { Accept: `${request.mediaType ?? "application/json"}, application/problem+json` };
    if (request.body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (this.apiKey) {
      headers["Authorization"] = `Bearer ${this.apiKey}`;
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) {
        headers[name] = value;
      }
    }
    return headers;
  }

  private body(request: ApiRequest): string | undefined {
    return request.body === undefined ? undefined : JSON.stringify(request.body);
  }
}

// The problem document of a failed answer, when it has one; anything else (a proxy's HTML page) gives undefined.
async function problemOf(response: Response): Promise<Problem | undefined> {
  const text = await response.text();
  if (!/json/i.test(response.headers.get("Content-Type") ?? "") || !text) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Problem) : undefined;
  } catch {
    return undefined;
  }
}

// Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause.
function describe(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
