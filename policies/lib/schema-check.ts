import { PolicyConfigSchema } from "@pulumi/policy";
import { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

/**
 * The subset of JSON Schema the pack's config schemas use (type, enum,
 * const, pattern, length and range bounds, items, properties, required),
 * so `evaluate` rejects a config file the CLI would reject when it validates
 * policy config against each policy's schema.
 */
function typeOf(v: unknown): string[] {
    if (v === null) return ["null"];
    if (Array.isArray(v)) return ["array"];
    if (typeof v === "number") return Number.isInteger(v) ? ["integer", "number"] : ["number"];
    return [typeof v];
}

export function checkValue(v: unknown, schema: PolicyConfigJSONSchemaDefinition, at: string, out: string[]): void {
    if (schema === true) return;
    if (schema === false) {
        out.push(`${at}: not allowed`);
        return;
    }
    const s = schema as PolicyConfigJSONSchema;
    if (s.type !== undefined) {
        const want = Array.isArray(s.type) ? s.type : [s.type];
        if (!typeOf(v).some((t) => want.includes(t as never))) {
            out.push(`${at}: expected ${want.join(" or ")}, got ${typeOf(v)[0]}`);
            return;
        }
    }
    if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) out.push(`${at}: must be one of ${JSON.stringify(s.enum)}`);
    if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(v)) out.push(`${at}: must be ${JSON.stringify(s.const)}`);
    if (typeof v === "string") {
        if (s.pattern && !new RegExp(s.pattern).test(v)) out.push(`${at}: ${JSON.stringify(v)} does not match ${s.pattern}`);
        if (s.minLength !== undefined && v.length < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
        if (s.maxLength !== undefined && v.length > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`);
    }
    if (typeof v === "number") {
        if (s.minimum !== undefined && v < s.minimum) out.push(`${at}: below ${s.minimum}`);
        if (s.maximum !== undefined && v > s.maximum) out.push(`${at}: above ${s.maximum}`);
    }
    if (Array.isArray(v) && s.items !== undefined && !Array.isArray(s.items)) {
        v.forEach((x, i) => checkValue(x, s.items as PolicyConfigJSONSchemaDefinition, `${at}[${i}]`, out));
    }
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        for (const r of s.required ?? []) if (!(r in o)) out.push(`${at}: missing ${r}`);
        for (const [k, sub] of Object.entries(s.properties ?? {})) if (k in o) checkValue(o[k], sub, `${at}.${k}`, out);
    }
}

/** Problems with one policy's config properties (enforcementLevel excluded), as messages. */
export function checkPolicyConfig(name: string, props: Record<string, unknown>, schema: PolicyConfigSchema | undefined): string[] {
    const out: string[] = [];
    checkValue(props, { type: "object", properties: schema?.properties ?? {}, required: schema?.required ?? [] }, name, out);
    return out;
}
