/**
 * `a%b_c` → `a\%b\_c`: a search matches the text typed, not LIKE's wildcards (backslash is
 * LIKE's default escape character, so no `ESCAPE` clause is needed).
 */
export const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
