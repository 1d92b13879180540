import {
    EnforcementLevel,
    PolicyConfigSchema,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    Severity,
    StackValidation,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";

export type Area = "network" | "privatelink" | "compute" | "iam" | "registry" | "topology" | "deployability" | "reachability" | "frontdoor";

/** Ids of equivalent checks in other rule sets, where one exists. */
export interface Equivalents {
    cdkNag?: string[];
    checkov?: string[];
    compliancePolicies?: string[];
}

/** Metadata every rule of this pack carries besides the engine's own fields. */
export interface RuleMeta {
    area: Area;
    equivalents: Equivalents;
    /** Why the rule needs `up` (values unknown during preview), when it does. */
    afterUp?: string;
    /** One line on why the rule exists (for the docs). */
    rationale: string;
}

export type PackResourcePolicy = ResourceValidationPolicy & {
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    remediationSteps: string;
    meta: RuleMeta;
};
export type PackStackPolicy = StackValidationPolicy & {
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    remediationSteps: string;
    meta: RuleMeta;
};
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

export function isStackRule(p: PackPolicy): p is PackStackPolicy {
    return typeof (p as PackStackPolicy).validateStack === "function";
}

/**
 * A stand-in for an SDK resource class: `validateResourceOfType` and the engine's
 * type check only read its `__pulumiType`, so rules can be typed by token
 * without loading @pulumi/aws (which would cost seconds at pack start).
 */
export function resourceType(token: string): { new (name: string, args: Record<string, unknown>): never } {
    const cls = function () {
        /* never constructed */
    } as unknown as { new (name: string, args: Record<string, unknown>): never; __pulumiType?: string };
    Object.defineProperty(cls, "__pulumiType", { value: token });
    Object.defineProperty(cls, "name", { value: token.split(":").pop() ?? token });
    return cls;
}

export type Props = Record<string, unknown>;
export type TypedCheck = (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;

/** `validateResourceOfType` for one type token. */
export function ofType(token: string, check: TypedCheck): ResourceValidation {
    return validateResourceOfType(resourceType(token), (props, args, report) => check(props as Props, args, report));
}

/** One typed validation per token (the engine runs each and skips the ones of another type). */
export function ofTypes(tokens: readonly string[], check: TypedCheck): ResourceValidation[] {
    return tokens.map((t) => ofType(t, check));
}

interface RuleBase {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    remediationSteps: string;
    meta: RuleMeta;
    configSchema?: PolicyConfigSchema;
}

export interface ResourceRuleDef extends RuleBase {
    validateResource: ResourceValidation | ResourceValidation[];
}
export function resourceRule(def: ResourceRuleDef): PackResourcePolicy {
    return { ...def };
}

export interface StackRuleDef extends RuleBase {
    validateStack: StackValidation;
}
export function stackRule(def: StackRuleDef): PackStackPolicy {
    return { ...def };
}

/** Defaults from a config schema merged under the given config (what the CLI does before Configure). */
export function withDefaults(schema: PolicyConfigSchema | undefined, config: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (schema) {
        for (const [k, s] of Object.entries(schema.properties)) {
            if (typeof s === "object" && s !== null && "default" in s && s.default !== undefined) {
                out[k] = JSON.parse(JSON.stringify(s.default));
            }
        }
    }
    for (const [k, v] of Object.entries(config)) {
        if (v !== undefined) {
            out[k] = v;
        }
    }
    return out;
}

/** `aws:ec2/securityGroup:SecurityGroup "web"` — how messages name a resource. */
export function subject(args: { type: string; name: string }): string {
    return `${args.type} "${args.name}"`;
}

/** The pulumi type a validation function was built for (the engine's fast path reads the same field). */
export function pulumiTypeOf(fn: unknown): string | undefined {
    const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof t === "string" && t.length > 0 ? t : undefined;
}

/**
 * Reports one finding at advisory level whatever the policy's level, through
 * the object form of reportViolation that the engine honours
 * (`enforcementLevel` per diagnostic). The message is formatted as the engine
 * formats string reports: description, newline, detail.
 */
export function reportAdvisory(report: ReportViolation, description: string, message: string, urn?: string): void {
    const v = { message: `${description}\n${message}`, urn, enforcementLevel: "advisory" as const };
    (report as unknown as (x: typeof v) => void)(v);
}
