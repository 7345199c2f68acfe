/** LIKE's wildcards in user text are literal characters, not patterns. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** `%term%` for ILIKE, with the term's own wildcards taken literally. */
export const containsPattern = (term: string) => `%${escapeLike(term)}%`;
