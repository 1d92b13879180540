import { UnknownValueError } from "./engine";

/**
 * Defensive readers for resource properties. Properties reach policies as
 * plain JSON wrapped in the engine's unknown-checking proxy, with whatever
 * types the program happened to pass, so every reader tolerates wrong types.
 * Reading an unknown value still throws `UnknownValueError` (the engine turns
 * that into its "can't run policy during preview" advisory) unless the caller
 * explicitly goes through `peek`.
 */

/** The string the engine uses on the wire for an unknown (computed) value. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Marker returned by `peek` for a value that is unknown during preview. A
 * registered symbol, so records holding it can cross threads (the offline
 * environment plan's workers) and come back as the same marker.
 */
export const UNKNOWN: unique symbol = Symbol.for("privatelink-platform.policy.unknown");
export type Unknown = typeof UNKNOWN;

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Arrays stay arrays; a lone string becomes a one-element list; anything else is empty. */
export function asArray(v: unknown): unknown[] {
    if (Array.isArray(v)) {
        return v;
    }
    if (typeof v === "string" || isRecord(v)) {
        return [v];
    }
    return [];
}

export function asStrings(v: unknown): string[] {
    return asArray(v).filter((x): x is string => typeof x === "string");
}

export function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** Booleans, and the strings "true"/"false" that some inputs carry. */
export function bool(v: unknown): boolean | undefined {
    if (typeof v === "boolean") {
        return v;
    }
    if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "true") {
            return true;
        }
        if (s === "false") {
            return false;
        }
    }
    return undefined;
}

export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
        return Number(v);
    }
    return undefined;
}

/** Reads `obj[key]` where `obj` may be anything. Throws UnknownValueError on unknowns. */
export function get(obj: unknown, key: string | number): unknown {
    if (typeof obj !== "object" || obj === null) {
        return undefined;
    }
    return (obj as Record<string | number, unknown>)[key];
}

/** Like a chain of `get`, but returns UNKNOWN instead of throwing when a value is unknown. */
export function peek(obj: unknown, ...path: (string | number)[]): unknown {
    try {
        let cur = obj;
        for (const k of path) {
            cur = get(cur, k);
        }
        return cur;
    } catch (e) {
        if (e instanceof UnknownValueError) {
            return UNKNOWN;
        }
        throw e;
    }
}

/** Tags as a flat string map (object form, or the autoscaling list form `[{key, value}]`). */
export function tagsOf(props: unknown): Record<string, string> | Unknown {
    const out: Record<string, string> = {};
    const raw = peek(props, "tags");
    if (raw === UNKNOWN) {
        return UNKNOWN;
    }
    if (Array.isArray(raw)) {
        for (let i = 0; i < raw.length; i++) {
            const k = peek(raw, i, "key");
            const v = peek(raw, i, "value");
            if (typeof k === "string" && typeof v === "string") {
                out[k] = v;
            }
        }
        return out;
    }
    if (isRecord(raw)) {
        for (const k of Object.keys(raw)) {
            const v = peek(raw, k);
            if (typeof v === "string") {
                out[k] = v;
            }
        }
    }
    return out;
}

/** A tag value, `undefined` when absent, UNKNOWN when unknown during preview. */
export function tag(props: unknown, key: string): string | undefined | Unknown {
    const tags = tagsOf(props);
    if (tags === UNKNOWN) {
        return UNKNOWN;
    }
    const v = peek(props, "tags");
    if (isRecord(v) && peek(v, key) === UNKNOWN) {
        return UNKNOWN;
    }
    return tags[key];
}

/**
 * A value as text for a message; never throws (an object may carry its own
 * non-function `toString`, or an unknown value deep inside).
 */
export function text(v: unknown): string {
    if (typeof v === "string") {
        return v;
    }
    try {
        return String(v);
    } catch {
        return Object.prototype.toString.call(v);
    }
}

/** Renders a value for a violation message (JSON where possible); never throws. */
export function show(v: unknown): string {
    if (typeof v === "string") {
        return JSON.stringify(v);
    }
    try {
        const s = JSON.stringify(v);
        return s === undefined ? text(v) : s.length > 200 ? s.slice(0, 197) + "..." : s;
    } catch {
        return text(v);
    }
}

/**
 * Whether `obj[key]` is set: a non-empty string, list or object, or a value
 * unknown during preview (an output of another resource: it will be set).
 * Presence checks can decide in preview without reading the value.
 */
export function present(obj: unknown, key: string): boolean {
    const v = peek(obj, key);
    if (v === UNKNOWN) {
        return true;
    }
    if (typeof v === "string") {
        return v.trim() !== "";
    }
    if (Array.isArray(v)) {
        return v.length > 0;
    }
    return isRecord(v) || typeof v === "number" || typeof v === "boolean";
}
