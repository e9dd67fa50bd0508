import { setTimeout as sleep } from "node:timers/promises";
import { BotStateError, ConnectionError, RateLimitedError, RequestTimeoutError, ServiceUnavailableError } from "./errors.js";

/**
 * How calls that are safe to repeat are retried: reads, PUT, DELETE, bulk erasure and turns that carry an
 * Idempotency-Key. Retries follow 503 and 429 (and a proxy's 502/504), timeouts and failed connections; they honour
 * Retry-After and never wait less than it says, and stop at whichever bound comes first.
 */
export interface RetryOptions {
  /** Attempts in all, the first one included; 1 turns retries off. Default 4. */
  maxAttempts?: number;
  /** The most a call may take, attempts and waits together, in milliseconds; a wait that would end later is not begun. Default 30000. */
  maxElapsedMs?: number;
  /** The first wait when the service gives no Retry-After, in milliseconds; it doubles with each attempt, with jitter. Default 200. */
  initialDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const defaultRetry: RetryPolicy = { maxAttempts: 4, maxElapsedMs: 30_000, initialDelayMs: 200 };

/** The longest wait of the backoff when the service gives no Retry-After. */
const maxBackoffMs = 5_000;

/** Whether a failure may go away by itself, so that repeating a call that is safe to repeat can succeed. */
export function isTransient(error: unknown): error is BotStateError {
  return (
    error instanceof ServiceUnavailableError ||
    error instanceof RateLimitedError ||
    error instanceof RequestTimeoutError ||
    error instanceof ConnectionError
  );
}

/** How long to wait before attempt `attempt + 1`: the service's Retry-After, else exponential backoff with jitter. */
export function delayBefore(attempt: number, error: BotStateError, policy: RetryPolicy): number {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs;
  }
  const ceiling = Math.min(maxBackoffMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return ceiling * (0.5 + Math.random() / 2);
}

/** Retry-After in milliseconds, from delay-seconds ("2") or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with the signal's reason as soon as the caller aborts. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
