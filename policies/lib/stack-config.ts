/**
 * The stack's own configuration (the program's config, not the policy pack's).
 *
 * Under the real engine, an analyzer plugin is started with the stack's
 * configuration in the environment variable PULUMI_CONFIG: a JSON object of
 * `"<namespace>:<key>"` to the value as a string (structured values are JSON
 * text). Source: pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go
 * (`constructEnv`, which sets PULUMI_ORGANIZATION, PULUMI_PROJECT,
 * PULUMI_STACK, PULUMI_CONFIG and PULUMI_DRY_RUN for the policy pack).
 *
 * Offline, `evaluate()` passes the same map through `withStackConfig`, so a
 * rule reads the catalog the same way in both places.
 */

export const PROJECT = "privatelink-platform";

let override: Record<string, unknown> | undefined;

/** Runs `fn` with the given stack configuration instead of PULUMI_CONFIG (offline evaluation). */
export async function withStackConfig<T>(config: Record<string, unknown> | undefined, fn: () => Promise<T>): Promise<T> {
    const previous = override;
    override = config;
    try {
        return await fn();
    } finally {
        override = previous;
    }
}

let envCache: { raw: string | undefined; parsed: Record<string, unknown> } | undefined;

function fromEnv(): Record<string, unknown> {
    const raw = process.env.PULUMI_CONFIG;
    if (envCache && envCache.raw === raw) {
        return envCache.parsed;
    }
    let parsed: Record<string, unknown> = {};
    if (raw) {
        try {
            const v = JSON.parse(raw) as unknown;
            if (typeof v === "object" && v !== null && !Array.isArray(v)) {
                parsed = v as Record<string, unknown>;
            }
        } catch {
            parsed = {};
        }
    }
    envCache = { raw, parsed };
    return parsed;
}

/** The whole stack configuration map, or an empty one when none was given. */
export function stackConfig(): Record<string, unknown> {
    return override ?? fromEnv();
}

/** True when a stack configuration was given at all (offline or by the engine). */
export function hasStackConfig(): boolean {
    return Object.keys(stackConfig()).length > 0;
}

/**
 * One configuration value, structured values parsed: the engine passes them
 * as JSON text, the offline preview as values.
 */
export function configValue(key: string, namespace = PROJECT): unknown {
    const v = stackConfig()[`${namespace}:${key}`];
    if (typeof v === "string") {
        const t = v.trim();
        if (t.startsWith("{") || t.startsWith("[")) {
            const hit = parsedText.get(t);
            if (hit !== undefined) return hit;
            try {
                const parsed = deepFreeze(JSON.parse(t) as unknown);
                if (parsedText.size >= PARSED_TEXTS) parsedText.delete(parsedText.keys().next().value!);
                parsedText.set(t, parsed);
                return parsed;
            } catch {
                return v;
            }
        }
    }
    return v;
}

/**
 * Structured values parsed once per text: every rule reads the catalog, and
 * the offline environment plan evaluates the pack hundreds of times over one.
 * Frozen, so no rule can change what the next one reads.
 */
const PARSED_TEXTS = 16;
const parsedText = new Map<string, unknown>();

function deepFreeze<T>(v: T): T {
    if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
        Object.freeze(v);
        for (const x of Object.values(v as object)) deepFreeze(x);
    }
    return v;
}
