import { asArray, isRecord } from "./values";

/**
 * Container definitions of an ECS task definition: a JSON string (the AWS
 * provider's input) or, defensively, an already-parsed list. Returns
 * undefined when the JSON is malformed.
 */
export function containerDefinitions(v: unknown): Record<string, unknown>[] | undefined {
    let parsed: unknown = v;
    if (typeof v === "string") {
        try {
            parsed = JSON.parse(v);
        } catch {
            return undefined;
        }
    }
    return asArray(parsed).filter(isRecord);
}

export function containerName(c: Record<string, unknown>, i: number): string {
    return typeof c.name === "string" ? `container "${c.name}"` : `container #${i}`;
}
