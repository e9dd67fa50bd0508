// The wire types, named: each is generated from the committed OpenAPI contract (../openapi/v1.json) into
// generated/api.ts by `npm run generate`, never written by hand.
import type { components, operations } from "./generated/api.js";

type Schemas = components["schemas"];

/** A conversation's state, the Python framework's State.to_dict(). */
export type State = Schemas["StateBody"];

/** The last user message inside a state. */
export type UserMessage = Schemas["UserMessageBody"];

/** A state to store with PUT: every field may be left out and takes its default (the service's from_dict rules). */
export type StateInput = Partial<State>;

/** One user message, the body of a turn. */
export type Message = Schemas["MessageBody"];

/** A page of saved snapshots, newest first. */
export type HistoryPage = Schemas["HistoryPageBody"];

/** One saved snapshot. */
export type HistoryItem = Schemas["HistoryItemBody"];

/** The active intent's id of a conversation. */
export type ActiveIntentAnswer = Schemas["ActiveIntentBody"];

/** A page of the conversation listing. */
export type ConversationPage = Schemas["ConversationListResponse"];

/** One conversation in the listing: no state, just what identifies and sorts it. */
export type ConversationItem = Schemas["ConversationItem"];

/** One line of an export: the current state first (kind "state"), then the snapshots (kind "snapshot"), newest first. */
export type ExportLine = Schemas["ExportLine"];

/** What a bulk erasure did with each id. */
export type ErasureResult = Schemas["ErasureResponse"];

/** One change to one conversation in the change feed; `cursor` is where a reader that handled it resumes. */
export type ChangeEvent = Schemas["ChangeEventBody"];

/** A page of the change feed: the events after a cursor, oldest first, and the cursor after them. */
export type ChangePage = Schemas["ChangePageBody"];

/** A webhook delivery that failed after its last try. */
export type FailedDelivery = Schemas["FailedDeliveryBody"];

/** An RFC 9457 problem document, as the service answers every error. */
export type Problem = Schemas["ProblemDetails"];

type ListQuery = NonNullable<operations["ListStates"]["parameters"]["query"]>;

/** The filters of the conversation listing; the page size and cursor are the client's to manage. */
export type ConversationFilters = Omit<ListQuery, "limit" | "cursor" | "updated_after" | "updated_before"> & {
  /** Only conversations updated after this instant (exclusive): a Date or an ISO-8601 string. */
  updated_after?: Date | string;
  /** Only conversations updated before this instant (exclusive): a Date or an ISO-8601 string. */
  updated_before?: Date | string;
};
