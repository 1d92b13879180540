import { PolicyResource } from "@pulumi/policy";
import { isRecord, peek, UNKNOWN } from "../values";
import { MODELLED_TYPES } from "./index-net";
import type { RecordShape } from "../record-shape";

/**
 * The records the reachability model reads: one shape for the offline
 * preview's ResourceRecord (policies/evaluate.ts) and for the engine's
 * PolicyResource (a stack rule), so the same analysis runs over a stack's
 * records, over several stacks' records together, or inside a stack rule.
 *
 * Values are plain JSON with the UNKNOWN symbol where the engine has no value
 * yet (preview), read without touching the engine's unknown-checking proxy:
 * where a value is unknown the model follows `deps` (property dependencies,
 * known in preview) instead.
 */
export interface NetRecord {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    props: Record<string, unknown>;
    /** Property name -> URNs it depends on. */
    deps: Record<string, string[]>;
}

/** The shape of policies/evaluate.ts ResourceRecord that the model needs. */
export interface RawRecord extends RecordShape {
    id?: string;
}

const UNKNOWN_TEXT = new Set(["<unknown>", "[secret]", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]);

function revive(v: unknown): unknown {
    if (typeof v === "string") {
        return UNKNOWN_TEXT.has(v) ? UNKNOWN : v;
    }
    if (Array.isArray(v)) {
        return v.map(revive);
    }
    if (isRecord(v)) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            out[k] = revive(v[k]);
        }
        return out;
    }
    return v;
}

/**
 * Records as the preview recorded them. Properties as the engine shows stack
 * policies: after `up` outputs over inputs, in preview inputs over outputs.
 */
export function fromRawRecords(records: RawRecord[], mode: "preview" | "up", modelled: ReadonlySet<string> = MODELLED_TYPES): NetRecord[] {
    return records.map((r) => {
        const merged = mode === "up" ? { ...(r.inputs ?? {}), ...(r.outputs ?? {}) } : { ...(r.outputs ?? {}), ...(r.inputs ?? {}) };
        const props = modelled.has(r.type)
            ? (revive({ ...(r.id !== undefined ? { id: r.id } : {}), ...merged }) as Record<string, unknown>)
            : { tags: revive(merged.tags) };
        return { urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? undefined, props, deps: r.propertyDependencies ?? {} };
    });
}

/**
 * The object under @pulumi/policy's unknown-checking proxy (its
 * `__getSpecialProxyTarget` key, proxy.js), where unknowns are the engine's
 * sentinel string: copying it is much cheaper than reading through the proxy.
 */
function proxyTarget(props: unknown): Record<string, unknown> | undefined {
    try {
        const t = (props as Record<string, unknown> | undefined)?.["__getSpecialProxyTarget"];
        return isRecord(t) ? t : undefined;
    } catch {
        return undefined;
    }
}

/** Deep copy through the engine's proxy: unknown values become UNKNOWN instead of throwing. */
export function plain(v: unknown, depth = 0): unknown {
    if (depth > 40 || v === UNKNOWN) {
        return v;
    }
    if (typeof v === "string") {
        return UNKNOWN_TEXT.has(v) ? UNKNOWN : v;
    }
    if (Array.isArray(v)) {
        const out: unknown[] = [];
        const n = peek(v, "length");
        for (let i = 0; i < (typeof n === "number" ? n : 0); i++) {
            out.push(plain(peek(v, i), depth + 1));
        }
        return out;
    }
    if (typeof v === "object" && v !== null) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            out[k] = plain(peek(v, k), depth + 1);
        }
        return out;
    }
    return v;
}

/**
 * A stack rule's resources. Copying through the engine's proxy costs, so only
 * the types the model reads are copied whole; others keep their tags (the
 * service a child belongs to) and their URNs.
 */
export function fromPolicyResources(resources: PolicyResource[], modelled: ReadonlySet<string> = MODELLED_TYPES): NetRecord[] {
    return resources.map((r) => {
        const deps: Record<string, string[]> = {};
        for (const [k, list] of Object.entries(r.propertyDependencies ?? {})) {
            deps[k] = (list ?? []).filter((d) => !!d).map((d) => d.urn);
        }
        const raw = proxyTarget(r.props);
        const props = raw
            ? modelled.has(r.type)
                ? (revive(raw) as Record<string, unknown>)
                : { tags: revive(raw.tags) }
            : modelled.has(r.type)
              ? (plain(r.props) as Record<string, unknown>)
              : { tags: plain(peek(r.props, "tags")) };
        return { urn: r.urn, type: r.type, name: r.name, parent: r.parent?.urn, props, deps };
    });
}
