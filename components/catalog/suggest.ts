import { closest, distance } from "fastest-levenshtein";

/** ` (did you mean "x"?)` when a candidate is close enough to be a likely typo, else "". */
export function didYouMean(value: string, candidates: readonly string[]): string {
    if (candidates.length === 0) {
        return "";
    }
    const best = closest(value, candidates as string[]);
    return distance(value, best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean ${JSON.stringify(best)}?)` : "";
}
