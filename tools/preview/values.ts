/**
 * Property values as they travel between the Pulumi SDK and the resource
 * monitor (the gRPC wire form, already turned into plain JS), and the
 * display form the preview records: unknowns and secrets spelled out, never
 * a secret's plaintext.
 */

/** The SDK's marker for a value not known until the cloud computes it (runtime/rpc.js `unknownValue`). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** How an unknown value is shown in recorded and JSON output. */
export const UNKNOWN = "<unknown>";
/** How a secret value is shown in recorded and JSON output. */
export const SECRET = "[secret]";

export type Wire = unknown;

function signature(v: object): unknown {
    return (v as Record<string, unknown>)[SIG_KEY];
}

export function isWireSecret(v: Wire): v is { value: Wire } {
    return v !== null && typeof v === "object" && signature(v) === SECRET_SIG;
}

/** Wraps a wire value as a secret (as the engine returns secret outputs). */
export function wireSecret(value: Wire): Wire {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * The display form of a wire value: unknown → "<unknown>", secret → "[secret]",
 * resource reference → its URN, asset/archive → a short description.
 *
 * With `revealSecrets`, a secret shows its value instead: that is the form the
 * policy pack is given, because the engine hands analyzers secret values in
 * plaintext (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go marshals
 * properties with KeepSecrets, and @pulumi/policy's deserializeProperties
 * unwraps them). It is never printed.
 */
export function display(v: Wire, revealSecrets = false): unknown {
    if (v === UNKNOWN_SENTINEL) return UNKNOWN;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(x => display(x, revealSecrets));
    const sig = signature(v);
    if (sig !== undefined) {
        const o = v as Record<string, unknown>;
        switch (sig) {
            case SECRET_SIG:
                return revealSecrets ? display(o.value, true) : SECRET;
            case RESOURCE_SIG:
                return o.urn;
            case OUTPUT_SIG:
                if (o.secret === true && !revealSecrets) return SECRET;
                return "value" in o ? display(o.value, revealSecrets) : UNKNOWN;
            case ASSET_SIG:
                return { asset: o.path ?? o.uri ?? (o.text !== undefined ? "<text>" : "<asset>") };
            case ARCHIVE_SIG:
                return { archive: o.path ?? o.uri ?? "<assets>" };
        }
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = display((v as Record<string, unknown>)[k], revealSecrets);
    return out;
}

/** Every string inside a secret of a wire value (what must never be printed). */
export function secretStrings(v: Wire, inSecret = false, out: Set<string> = new Set()): Set<string> {
    if (typeof v === "string") {
        if (inSecret) out.add(v);
        return out;
    }
    if (v === null || typeof v !== "object") return out;
    if (Array.isArray(v)) {
        for (const x of v) secretStrings(x, inSecret, out);
        return out;
    }
    const sig = signature(v);
    const o = v as Record<string, unknown>;
    if (sig === SECRET_SIG) return secretStrings(o.value, true, out);
    if (sig === OUTPUT_SIG) return "value" in o ? secretStrings(o.value, inSecret || o.secret === true, out) : out;
    for (const k of Object.keys(o)) secretStrings(o[k], inSecret, out);
    return out;
}

/**
 * A text with every secret value in it replaced by "[secret]": for what is
 * printed from findings computed on plaintext (violation messages). Values
 * shorter than 4 characters are left alone: masking them would mangle the
 * text without protecting anything.
 */
export function maskSecrets(text: string, secrets: ReadonlySet<string>): string {
    let out = text;
    for (const s of [...secrets].filter(x => x.length >= 4).sort((a, b) => b.length - a.length)) {
        if (out.includes(s)) out = out.split(s).join(SECRET);
    }
    return out;
}

/**
 * A plain view of a wire value for the fake cloud to compute outputs from:
 * secrets unwrapped (the fake cloud never prints them), resource references
 * as their id or URN, unknowns left as the sentinel.
 */
export function plain(v: Wire): unknown {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(plain);
    const sig = signature(v);
    const o = v as Record<string, unknown>;
    if (sig === SECRET_SIG) return plain(o.value);
    if (sig === RESOURCE_SIG) return o.id !== undefined && o.id !== "" ? o.id : o.urn;
    if (sig === OUTPUT_SIG) return "value" in o ? plain(o.value) : UNKNOWN_SENTINEL;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) out[k] = plain(o[k]);
    return out;
}

export function containsUnknown(v: Wire): boolean {
    if (v === UNKNOWN_SENTINEL) return true;
    if (v === null || typeof v !== "object") return false;
    if (Array.isArray(v)) return v.some(containsUnknown);
    return Object.values(v).some(containsUnknown);
}

/** A copy without `undefined` values (the wire form has none: the SDK rejects them). */
export function defined(v: unknown): Wire {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(x => (x === undefined ? null : defined(x)));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = defined(x);
    }
    return out;
}
