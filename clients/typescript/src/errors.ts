import type { Problem } from "./types.js";

/** The stable problem types the service answers with (RFC 9457 `type`); a client switches on these, never on text. */
export const ProblemTypes = {
  invalidPath: "urn:botstate:problem:invalid-path",
  invalidUserId: "urn:botstate:problem:invalid-user-id",
  invalidBody: "urn:botstate:problem:invalid-body",
  invalidHeader: "urn:botstate:problem:invalid-header",
  invalidQuery: "urn:botstate:problem:invalid-query",
  bodyTooLarge: "urn:botstate:problem:body-too-large",
  unsupportedMediaType: "urn:botstate:problem:unsupported-media-type",
  unauthorized: "urn:botstate:problem:unauthorized",
  forbidden: "urn:botstate:problem:forbidden",
  notFound: "urn:botstate:problem:not-found",
  preconditionFailed: "urn:botstate:problem:precondition-failed",
  alreadyExists: "urn:botstate:problem:already-exists",
  idempotencyKeyReused: "urn:botstate:problem:idempotency-key-reused",
  rateLimited: "urn:botstate:problem:rate-limited",
  serviceUnavailable: "urn:botstate:problem:service-unavailable",
  internalError: "urn:botstate:problem:internal-error",
  // Failures with no answer from the service; named by this client, not by the service.
  timeout: "urn:botstate:client:timeout",
  connection: "urn:botstate:client:connection",
} as const;

interface ErrorInit {
  status?: number | undefined;
  type: string;
  title: string;
  detail?: string | undefined;
  problem?: Problem | undefined;
  retryAfterMs?: number | undefined;
}

/**
 * The service refused or could not complete a request. `status` is the HTTP status (undefined when no answer came),
 * `type`, `title` and `detail` come from the problem document; `retryAfterMs` is the service's Retry-After, if any.
 * Each kind of failure is a subclass, so `instanceof` or `type` tells what happened.
 */
export class BotStateError extends Error {
  readonly status: number | undefined;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly problem: Problem | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: ErrorInit, options?: ErrorOptions) {
    super(`${init.status ?? "no answer"} ${init.title}${init.detail ? `: ${init.detail}` : ""}`, options);
    this.name = new.target.name;
    this.status = init.status;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.problem = init.problem;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The request is wrong (400 invalid-*, 413, 415): fix it, never retry it. */
export class InvalidRequestError extends BotStateError {}

/** No valid API key was sent (401): pass `apiKey`. */
export class UnauthorizedError extends BotStateError {}

/** The API key lacks the scope the operation needs (403). */
export class ForbiddenError extends BotStateError {}

/** The conversation does not exist, for this caller's tenant (404). */
export class NotFoundError extends BotStateError {}

/** The conversation a fork names as its target already has a state (409): choose another id, or delete it first. */
export class AlreadyExistsError extends BotStateError {}

/** The state changed since the version the request named (412): read it again, then decide. */
export class PreconditionFailedError extends BotStateError {}

/** The Idempotency-Key was already used for a different message (422): a new turn needs a new key. */
export class IdempotencyKeyReusedError extends BotStateError {}

/** The API key sent more requests than its rate limit allows (429); `retryAfterMs` says when to come back. */
export class RateLimitedError extends BotStateError {}

/** The cluster or its database could not complete the request (503, or a proxy's 502/504); nothing was stored. */
export class ServiceUnavailableError extends BotStateError {}

/** No answer within the timeout; whether the request was applied is unknown. */
export class RequestTimeoutError extends BotStateError {}

/** The connection failed (refused, reset, DNS); whether the request was applied is unknown. */
export class ConnectionError extends BotStateError {}

type ErrorClass = new (init: ErrorInit, options?: ErrorOptions) => BotStateError;

const byType = new Map<string, ErrorClass>([
  [ProblemTypes.invalidPath, InvalidRequestError],
  [ProblemTypes.invalidUserId, InvalidRequestError],
  [ProblemTypes.invalidBody, InvalidRequestError],
  [ProblemTypes.invalidHeader, InvalidRequestError],
  [ProblemTypes.invalidQuery, InvalidRequestError],
  [ProblemTypes.bodyTooLarge, InvalidRequestError],
  [ProblemTypes.unsupportedMediaType, InvalidRequestError],
  [ProblemTypes.unauthorized, UnauthorizedError],
  [ProblemTypes.forbidden, ForbiddenError],
  [ProblemTypes.notFound, NotFoundError],
  [ProblemTypes.preconditionFailed, PreconditionFailedError],
  [ProblemTypes.alreadyExists, AlreadyExistsError],
  [ProblemTypes.idempotencyKeyReused, IdempotencyKeyReusedError],
  [ProblemTypes.rateLimited, RateLimitedError],
  [ProblemTypes.serviceUnavailable, ServiceUnavailableError],
]);

// For answers without one of the service's types: a proxy's or load balancer's error page.
const byStatus = new Map<number, ErrorClass>([
  [400, InvalidRequestError],
  [401, UnauthorizedError],
  [403, ForbiddenError],
  [404, NotFoundError],
  [409, AlreadyExistsError],
  [412, PreconditionFailedError],
  [413, InvalidRequestError],
  [415, InvalidRequestError],
  [429, RateLimitedError],
  [502, ServiceUnavailableError],
  [503, ServiceUnavailableError],
  [504, ServiceUnavailableError],
]);

/** The error for an answer with a failing status: by the problem's `type`, else by the status. */
export function errorForAnswer(status: number, statusText: string, problem: Problem | undefined, retryAfterMs: number | undefined): BotStateError {
  const type = problem?.type ?? "about:blank";
  const kind = byType.get(type) ?? byStatus.get(status) ?? BotStateError;
  return new kind({
    status,
    type,
    title: problem?.title ?? (statusText || `HTTP ${status}`),
    detail: problem?.detail ?? undefined,
    problem,
    retryAfterMs,
  });
}
