/**
 * Server-Sent Events read from a response body, as the HTML standard's event stream defines them, reduced to what
 * the change feed sends: `id:` and `data:` lines up to a blank line. Comments (`: nothing new`, the service's
 * keep-alives) and `retry:` carry nothing for the caller.
 */
export interface ServerSentEvent {
  /** The event's `id:`, or undefined without one. */
  id: string | undefined;
  /** Its `data:` lines, joined by line breaks. */
  data: string;
}

/** The events of a body as each one completes; the body is read as it arrives and never held whole. */
export async function* serverSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent, void, undefined> {
  const decoder = new TextDecoder();
  let buffered = "";
  let id: string | undefined;
  let data: string[] = [];
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + (buffered.startsWith("\r\n", end) ? 2 : 1));
      if (line === "") {
        if (data.length > 0) {
          yield { id, data: data.join("\n") };
        }
        id = undefined;
        data = [];
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      value = value.startsWith(" ") ? value.slice(1) : value;
      if (field === "id") {
        id = value;
      } else if (field === "data") {
        data.push(value);
      }
    }
  }
}
