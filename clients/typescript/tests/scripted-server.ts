// A tiny HTTP server on 127.0.0.1 that answers each request with the next scripted answer (the last one again once
// the script runs out) and records what it was sent: failures the real service cannot be made to produce on cue.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How to answer one request; `text` is sent as it is (a Server-Sent Events body), `body` as JSON; `hold` never
 * answers, to let the client time out; `drop` closes the connection without an answer.
 */
export type Answer =
  | { status: number; headers?: Record<string, string>; body?: unknown; text?: string }
  | { hold: true }
  | { drop: true };

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** When it arrived, in performance.now() milliseconds. */
  at: number;
}

export interface ScriptedServer {
  baseUrl: string;
  received: Received[];
  /** Resolves when the server has received `count` requests. */
  receivedCount(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A state as the service answers it, for scripted 200s. */
export function stateAnswer(threadId: string, version: number): Answer {
  return {
    status: 200,
    headers: { ETag: `"${version}"` },
    body: {
      thread_id: threadId, user_message: null, bot_message: null, nlu: {}, context: {}, intent: {}, parameters: [],
      extracted_parameters: {}, missing_parameters: [], complete: false, current_node: "", date: "2026-01-01T00:00:00.000000+00:00",
    },
  };
}

/** A problem answer as the service writes them. */
export function problemAnswer(status: number, name: string, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { "Content-Type": "application/problem+json", ...headers },
    body: { type: `urn:botstate:problem:${name}`, title: name, status, detail: `scripted ${name}` },
  };
}

export async function scriptedServer(script: Answer[]): Promise<ScriptedServer> {
  const received: Received[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const held: ServerResponse[] = [];
  const server = createServer((request, response) => {
    received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, at: performance.now() });
    for (const waiter of waiters.filter((waiter) => received.length >= waiter.count)) {
      waiter.resolve();
    }
    request.resume();
    const answer = script[Math.min(received.length, script.length) - 1];
    if (!answer || "hold" in answer) {
      held.push(response);
      return;
    }
    if ("drop" in answer) {
      request.socket.destroy();
      return;
    }
    const json = answer.text ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
    response.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers });
    response.end(json);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    receivedCount: (count) =>
      received.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      for (const response of held) {
        response.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
