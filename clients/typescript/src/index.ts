export { BotStateClient } from "./client.js";
export type {
  BotStateClientOptions,
  ChangesOptions,
  ChangeStreamOptions,
  ForkOptions,
  RestoreOptions,
  DeleteOptions,
  HistoryOptions,
  ListOptions,
  SaveOptions,
  SaveResult,
  TurnOptions,
  TurnResult,
  UpdateOptions,
  VersionedState,
} from "./client.js";
export type { CallOptions } from "./transport.js";
export type { RetryOptions } from "./retry.js";
export { ifMatch, versionFromETag } from "./etags.js";
export {
  AlreadyExistsError,
  BotStateError,
  ConnectionError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  InvalidRequestError,
  NotFoundError,
  PreconditionFailedError,
  ProblemTypes,
  RateLimitedError,
  RequestTimeoutError,
  ServiceUnavailableError,
  UnauthorizedError,
} from "./errors.js";
export type * from "./types.js";
