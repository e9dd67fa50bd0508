/**
 * Every item of a paged collection, one page fetched at a time and only when the caller wants more: the listing
 * (next_cursor), a conversation's history (next_before), and the change feed when the API has it (next_cursor).
 */
export async function* followPages<Page, Item, Cursor>(
  first: Cursor | undefined,
  fetchPage: (cursor: Cursor | undefined) => Promise<Page>,
  itemsOf: (page: Page) => readonly Item[],
  nextOf: (page: Page) => Cursor | null | undefined,
): AsyncGenerator<Item, void, undefined> {
  let cursor = first;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* itemsOf(page);
    const next = nextOf(page);
    if (next === null || next === undefined) {
      return;
    }
    cursor = next;
  }
}
