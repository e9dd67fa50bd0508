/**
 * The JSON values of a newline-delimited JSON body, one per line, parsed as the lines arrive: an export of a long
 * history is never held whole. Leaving the loop early cancels the body.
 */
export async function* ndjsonValues<T>(body: AsyncIterable<Uint8Array>): AsyncGenerator<T, void, undefined> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) {
        yield JSON.parse(line) as T;
      }
    }
  }
  const last = (buffered + decoder.decode()).trim();
  if (last) {
    yield JSON.parse(last) as T;
  }
}
