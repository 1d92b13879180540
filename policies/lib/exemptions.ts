import { ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { globMatch } from "./glob";
import { isStackRule, ofType, PackPolicy, pulumiTypeOf, withDefaults } from "./rule";

/** The root stack resource: resource rules report config-wide problems on it, once per stack. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Exemptions live in each policy's own config entry under the shared key
 * `exemptions` (the engine hands a policy only its own config):
 *
 *   "security-group-no-public-ingress": {
 *     "exemptions": [{ "resource": "urn:pulumi:prod::*::aws:ec2/securityGroup:SecurityGroup::edge-*",
 *                      "reason": "front door takes HTTPS from the internet", "expires": "2026-12-31" }]
 *   }
 *
 * A valid exemption turns a matching violation into an advisory that names the
 * exemption; an expired, reasonless or malformed one is itself reported (for
 * every resource it matches, or once for stack policies) and exempts nothing.
 */
export interface Exemption {
    policy?: string;
    resource: string;
    reason: string;
    expires: string;
}

export interface CheckedExemption extends Exemption {
    problem?: string;
}

export const EXEMPTIONS_KEY = "exemptions";
export const MIN_REASON_LENGTH = 10;
/** An exemption (or allowance) may run at most this long after the evaluation: renewing it is a review. */
export const MAX_EXEMPTION_DAYS = 180;
const DAY_MS = 24 * 3600 * 1000;
export const EXEMPTION_FIX = `name the resources by type or name (a URN glob narrower than every resource), give a reason and an ISO expiry within ${MAX_EXEMPTION_DAYS} days, or remove it.`;

/**
 * Why a URN glob names "everything" rather than some resources, or undefined
 * when it is narrow enough. A pattern is narrow when it fixes the resource's
 * type (the last `::` segment but one ends in a type token without wildcards)
 * or its name (the last `::` segment holds at least 3 literal characters).
 * `*` matches across `::`, so `*`, `urn:*`, `urn:pulumi:dev::*` or
 * `urn:*::*` match every resource of a stack and switch the policy off.
 */
export function tooBroad(pattern: string): string | undefined {
    const p = pattern.trim();
    if (p === "") {
        return "is empty";
    }
    const parts = p.split("::");
    const name = parts.length >= 2 ? parts[parts.length - 1] : "";
    const typeChain = parts.length >= 2 ? parts[parts.length - 2] : "";
    const type = typeChain.split(/[$*?]/).pop() ?? "";
    const literalType = !type.startsWith("urn:") && /^[A-Za-z0-9_-]+:[A-Za-z0-9_./-]*:[A-Za-z0-9_]+$/.test(type);
    const literalName = name.replace(/[*?]/g, "").length >= 3;
    if (literalType || literalName) {
        return undefined;
    }
    return "matches every resource (it fixes neither a resource type nor a name)";
}

/** Why an expiry date is outside the window [now, now + MAX_EXEMPTION_DAYS], or undefined when inside. */
export function expiryProblem(expires: unknown, now: Date): string | undefined {
    const until = typeof expires === "string" ? expiryInstant(expires) : undefined;
    if (until === undefined) {
        return `has no valid ISO \`expires\` date (got ${JSON.stringify(expires ?? null)})`;
    }
    if (until <= now.getTime()) {
        return `expired on ${String(expires)}`;
    }
    const latest = new Date(now.getTime() + MAX_EXEMPTION_DAYS * DAY_MS);
    if (until > latest.getTime() + DAY_MS) {
        return `expires ${String(expires)}, more than ${MAX_EXEMPTION_DAYS} days ahead (the latest allowed today is ${latest.toISOString().slice(0, 10)})`;
    }
    return undefined;
}

export const exemptionsSchema: PolicyConfigJSONSchema = {
    type: "array",
    description:
        "Reasoned, expiring exceptions: {policy?, resource (URN glob, * and ?, fixing a type or a name), reason (>= 10 chars), expires (ISO date at most 180 days ahead)}. " +
        "An expired, reasonless, too broad or too long exemption is reported as a violation and exempts nothing.",
    items: {
        type: "object",
        properties: {
            policy: { type: "string" },
            resource: { type: "string" },
            reason: { type: "string" },
            expires: { type: "string" },
        },
    },
    default: [],
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

/** The instant an exemption stops applying: a date-only value covers that whole UTC day. */
export function expiryInstant(expires: string): number | undefined {
    if (!ISO_DATE.test(expires)) {
        return undefined;
    }
    const t = Date.parse(expires.length === 10 ? `${expires}T00:00:00Z` : expires);
    if (Number.isNaN(t)) {
        return undefined;
    }
    return expires.length === 10 ? t + 24 * 3600 * 1000 : t;
}

export function checkExemption(raw: unknown, policyName: string, now: Date): CheckedExemption {
    const r = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const resource = typeof r.resource === "string" ? r.resource : "";
    const reason = typeof r.reason === "string" ? r.reason.trim() : "";
    const expires = typeof r.expires === "string" ? r.expires : "";
    const out: CheckedExemption = { resource, reason, expires };
    if (typeof r.policy === "string") {
        out.policy = r.policy;
    }
    const problems: string[] = [];
    if (!resource) {
        problems.push("has no `resource` URN pattern");
    } else {
        const broad = tooBroad(resource);
        if (broad) {
            problems.push(`resource pattern ${JSON.stringify(resource)} ${broad}`);
        }
    }
    if (out.policy !== undefined && out.policy !== policyName) {
        problems.push(`names policy "${out.policy}" but is configured under "${policyName}"`);
    }
    if (reason.length < MIN_REASON_LENGTH) {
        problems.push(`has no reason (\`reason\` must explain the exception in at least ${MIN_REASON_LENGTH} characters)`);
    }
    const expiry = expiryProblem(r.expires, now);
    if (expiry) {
        problems.push(expiry);
    }
    if (problems.length > 0) {
        out.problem = problems.join("; ");
    }
    return out;
}

export function readExemptions(config: Record<string, unknown>, policyName: string, now: Date): CheckedExemption[] {
    const list = config[EXEMPTIONS_KEY];
    if (!Array.isArray(list)) {
        return [];
    }
    return list.map((e) => checkExemption(e, policyName, now));
}

function describe(e: CheckedExemption): string {
    return `exemption {resource: ${JSON.stringify(e.resource)}, expires: ${JSON.stringify(e.expires)}}`;
}

/** Marker attached to an exempted diagnostic (ignored by the engine, read by `evaluate`). */
export interface ExemptionMarker {
    resource: string;
    reason: string;
    expires: string;
}

interface ObjectViolation {
    message: string;
    urn?: string;
    enforcementLevel: "advisory";
    exemption: ExemptionMarker;
}

function exemptingReport(
    policy: PackPolicy,
    exemptions: CheckedExemption[],
    report: ReportViolation,
    defaultUrn: string | undefined,
): ReportViolation {
    const valid = exemptions.filter((e) => !e.problem);
    if (valid.length === 0) {
        return report;
    }
    return (message: string, urn?: string) => {
        const target = urn ?? defaultUrn ?? "";
        const ex = valid.find((e) => globMatch(e.resource, target));
        if (!ex) {
            report(message, urn);
            return;
        }
        const v: ObjectViolation = {
            message:
                `${policy.description}\n${message ?? ""}\n` +
                `EXEMPTED until ${ex.expires} by ${describe(ex)}: ${ex.reason}`,
            urn,
            enforcementLevel: "advisory",
            exemption: { resource: ex.resource, reason: ex.reason, expires: ex.expires },
        };
        // The engine's reportViolation accepts an object form (see @pulumi/policy server.js).
        (report as unknown as (v: ObjectViolation) => void)(v);
    };
}

/** Evaluation time: `evaluate` passes one in; under the engine it is the wall clock. */
export const NOW_KEY = "__privatelinkNow";
export function nowOf(args: object): Date {
    const n = (args as Record<string, unknown>)[NOW_KEY];
    return n instanceof Date ? n : new Date();
}

function wrapValidation(policy: PackPolicy, v: ResourceValidation): ResourceValidation {
    const fn: ResourceValidation = (args: ResourceValidationArgs, report: ReportViolation) => {
        const token = pulumiTypeOf(v);
        if (token !== undefined && token !== args.type) {
            return v(args, report);
        }
        const config = withDefaults(policy.configSchema, args.getConfig<Record<string, unknown>>());
        const exemptions = readExemptions(config, policy.name, nowOf(args));
        for (const e of exemptions) {
            if (e.problem && e.resource && args.type !== STACK_TYPE && globMatch(e.resource, args.urn)) {
                report(`${describe(e)} for ${args.urn} ${e.problem}, so it exempts nothing. Fix: ${EXEMPTION_FIX}`);
            }
        }
        const wrapped: ResourceValidationArgs = { ...args, getConfig: <T extends object>() => config as T };
        return v(wrapped, exemptingReport(policy, exemptions, report, args.urn));
    };
    const token = pulumiTypeOf(v);
    if (token) {
        (fn as unknown as { __pulumiType: string }).__pulumiType = token;
    }
    return fn;
}

/**
 * Adds the `exemptions` config key and config defaults to a rule. Applied to
 * every rule the pack serves, so the engine and `evaluate` run the same code.
 */
export function withExemptions<P extends PackPolicy>(policy: P): P {
    const configSchema = {
        properties: { ...(policy.configSchema?.properties ?? {}), [EXEMPTIONS_KEY]: exemptionsSchema },
        ...(policy.configSchema?.required ? { required: policy.configSchema.required } : {}),
    };
    const base = { ...policy, configSchema } as P;
    if (isStackRule(policy)) {
        const inner = policy.validateStack;
        return {
            ...base,
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                const config = withDefaults(configSchema, args.getConfig<Record<string, unknown>>());
                const exemptions = readExemptions(config, policy.name, nowOf(args));
                for (const e of exemptions) {
                    if (e.problem) {
                        report(`${describe(e)} ${e.problem}, so it exempts nothing. Fix: ${EXEMPTION_FIX}`);
                    }
                }
                const wrapped: StackValidationArgs = { ...args, getConfig: <T extends object>() => config as T };
                return inner(wrapped, exemptingReport(base, exemptions, report, undefined));
            },
        };
    }
    const vr = (policy as { validateResource?: ResourceValidation | ResourceValidation[] }).validateResource;
    if (!vr) {
        return base;
    }
    // Invalid exemptions are reported once on the stack even when they match
    // no resource yet: a broad or far-future one is a switch waiting to be used.
    const onStack = ofType(STACK_TYPE, (_props, args, report) => {
        const config = withDefaults(configSchema, args.getConfig<Record<string, unknown>>());
        for (const e of readExemptions(config, policy.name, nowOf(args))) {
            if (e.problem) {
                report(`${describe(e)} ${e.problem}, so it exempts nothing. Fix: ${EXEMPTION_FIX}`, args.urn);
            }
        }
    });
    return {
        ...base,
        validateResource: [...(Array.isArray(vr) ? vr : [vr]).map((v) => wrapValidation(base, v)), onStack],
    };
}
