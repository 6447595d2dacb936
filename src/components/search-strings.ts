/** The order of the search box's messages in its data-strings attribute ("|"-joined): SearchBox.astro writes it, search-box.ts reads it. */
export const SEARCH_STRING_KEYS = ['loading', 'error', 'none', 'count', 'count_one', 'count_more', 'province', 'listbox', 'hint'] as const;

/** data-strings → the messages by key (a missing one is empty). */
export function unpackSearchStrings(packed: string): Record<(typeof SEARCH_STRING_KEYS)[number], string> {
  const parts = packed.split('|');
  return Object.fromEntries(SEARCH_STRING_KEYS.map((k, i) => [k, parts[i] ?? ''])) as Record<(typeof SEARCH_STRING_KEYS)[number], string>;
}
