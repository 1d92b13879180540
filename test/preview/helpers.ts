import * as path from "path";
import type { PreviewResult, ResourceRecord } from "../../tools/preview";

export const FIXTURES = path.resolve(__dirname, "..", "fixtures");
export const APP = path.join(FIXTURES, "preview-app");
export const CATALOG_ERROR = path.join(FIXTURES, "catalog-error");

/** The one resource of a type and name; fails loudly when it is missing or ambiguous. */
export function find(result: PreviewResult, type: string, name: string): ResourceRecord {
    const found = result.resources.filter(r => r.type === type && r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} '${name}', found ${found.length}`);
    return found[0];
}
