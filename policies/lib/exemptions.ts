import { ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { globMatch } from "./glob";
import { isStackRule, PackPolicy, pulumiTypeOf, withDefaults } from "./rule";

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

export const exemptionsSchema: PolicyConfigJSONSchema = {
    type: "array",
    description:
        "Reasoned, expiring exceptions: {policy?, resource (URN glob, * and ?), reason (>= 10 chars), expires (ISO date)}. " +
        "An expired or reasonless exemption is reported as a violation.",
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
    }
    if (out.policy !== undefined && out.policy !== policyName) {
        problems.push(`names policy "${out.policy}" but is configured under "${policyName}"`);
    }
    if (reason.length < MIN_REASON_LENGTH) {
        problems.push(`has no reason (\`reason\` must explain the exception in at least ${MIN_REASON_LENGTH} characters)`);
    }
    const until = expiryInstant(expires);
    if (until === undefined) {
        problems.push(`has no valid ISO \`expires\` date (got ${JSON.stringify(r.expires ?? null)})`);
    } else if (until <= now.getTime()) {
        problems.push(`expired on ${expires}`);
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
function nowOf(args: object): Date {
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
            if (e.problem && e.resource && globMatch(e.resource, args.urn)) {
                report(`${describe(e)} for ${args.urn} ${e.problem}, so it exempts nothing. Fix: renew it with a reason and a future ISO date, or remove it.`);
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
                        report(`${describe(e)} ${e.problem}, so it exempts nothing. Fix: renew it with a reason and a future ISO date, or remove it.`);
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
    return {
        ...base,
        validateResource: Array.isArray(vr) ? vr.map((v) => wrapValidation(base, v)) : wrapValidation(base, vr),
    };
}
