/**
 * Offline evaluation of the policy pack over recorded resources, faithful to
 * what the Pulumi engine and @pulumi/policy's analyzer server do:
 *
 * - resource policies see the resource's inputs, stack policies see every
 *   resource (outputs after `up`; inputs over preview outputs in preview) with
 *   parent, dependencies and property dependencies resolved to resources;
 * - "<unknown>" becomes the engine's unknown sentinel and properties are
 *   wrapped in @pulumi/policy's unknown-checking proxy, so a policy that reads
 *   an unknown value gets the engine's advisory "can't run policy ... during
 *   preview" diagnostic instead of a verdict;
 * - enforcement level = policy config > "all" > the policy's default > the
 *   pack's (advisory); "remediate" reports as mandatory, "disabled" skips;
 * - a string violation message is prefixed with the policy description, as
 *   the engine does; object-form reports (exemptions) are kept as given.
 *
 * The same wrapped policy objects are served by ./index.ts, so config
 * defaults and exemptions behave identically here and under the CLI.
 */
import { EnforcementLevel, PolicyResource, PolicyResourceOptions, ReportViolation, ResourceValidation, Severity } from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "./lib/engine";
import { ExemptionMarker, NOW_KEY } from "./lib/exemptions";
import { isStackRule, PackPolicy, pulumiTypeOf } from "./lib/rule";
import { checkPolicyConfig } from "./lib/schema-check";
import { primePlanGraph, recordGraph } from "./lib/plan/graph";
import type { PlanRecord } from "./lib/plan/record";
import { analyze, Reachability } from "./lib/reachability/analyze";
import { intentFromStackConfig, NONE, primeReachability } from "./lib/reachability/catalog";
import { reachabilityReport, ReachabilityReport, renderReachability as renderReachabilityText } from "./lib/reachability/report";
import { configValue, stackConfig as currentConfig, withStackConfig } from "./lib/stack-config";
import { readPackConfig } from "./lib/pack-config";
import { UNKNOWN_SENTINEL } from "./lib/values";
import { policies as packPolicies, POLICY_PACK_NAME } from "./rules";
/** The quota table of a plan (the offline preview loads it from this module, as it loads `evaluate`). */
export { quotaReport } from "./lib/quotas";
import * as pkg from "./package.json";

/** A resource as the offline preview records it (lib/plan/record.ts). */
export type ResourceRecord = PlanRecord;

/** `{"all": level | {enforcementLevel}, "<policy>": level | {enforcementLevel?, ...properties}}` — the --policy-pack-config file. */
export type PolicyConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface EvaluateOptions {
    mode: "preview" | "up";
    /**
     * The policy pack config (the --policy-pack-config file's content). Keys
     * that are neither "all" nor a policy name are ignored. When it is absent,
     * or holds no policy key at all (e.g. a program's stack config was passed),
     * policies/config/<stack>.json is used, the stack taken from the URNs, as
     * CI passes that file to `pulumi preview`.
     */
    config?: PolicyConfigFile | Record<string, unknown>;
    now?: Date;
    /**
     * The stack's own configuration (`"<namespace>:<key>"` → value), as the
     * engine hands it to the pack in PULUMI_CONFIG; rules read the catalog
     * from it (lib/stack-config). Absent: PULUMI_CONFIG, if set.
     */
    stackConfig?: Record<string, unknown>;
    /** Defaults to the pack's policies; tests may pass a subset. */
    policies?: PackPolicy[];
}

export interface Violation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    /** null for stack-wide findings. */
    urn: string | null;
    message: string;
    severity?: Severity;
    /** Present when a valid exemption turned the violation into a reported exception. */
    exemption?: ExemptionMarker;
    /** True for the engine's "can't run policy during preview" advisory. */
    unknown?: boolean;
}

export const UNKNOWN_MARKER = "<unknown>";
/**
 * The offline preview gives the pack secret values in plaintext, as the engine
 * does (tools/preview runs evaluation on records with secrets revealed, and
 * masks them in what it prints). A record that still holds the display form
 * "[secret]" (e.g. one read back from --json output) has lost the value, so
 * it is treated like an unknown value (the rule that needs it cannot decide)
 * rather than judged as the literal string "[secret]".
 */
export const SECRET_MARKER = "[secret]";
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
function throwNotApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

/** Deep copy that turns the recorded "<unknown>" (and hidden "[secret]") into the engine's unknown sentinel. */
export function reviveUnknowns(v: unknown): unknown {
    if (v === UNKNOWN_MARKER || v === SECRET_MARKER) {
        return UNKNOWN_SENTINEL;
    }
    if (Array.isArray(v)) {
        return v.map(reviveUnknowns);
    }
    if (typeof v === "object" && v !== null) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            const x = (v as Record<string, unknown>)[k];
            if (x !== undefined) {
                out[k] = reviveUnknowns(x);
            }
        }
        return out;
    }
    return v;
}

interface ResolvedConfig {
    level: (p: PackPolicy) => EnforcementLevel;
    properties: (name: string) => Record<string, unknown>;
}

function checkLevel(v: unknown, where: string): EnforcementLevel | undefined {
    if (v === undefined) {
        return undefined;
    }
    if (typeof v !== "string" || !LEVELS.includes(v as EnforcementLevel)) {
        throw new Error(`policy config ${where}: invalid enforcement level ${JSON.stringify(v)} (expected one of ${LEVELS.join(", ")})`);
    }
    return v as EnforcementLevel;
}

/** Whether a config object carries any policy-pack key ("all" or a policy name). */
export function hasPolicyKeys(config: Record<string, unknown> | undefined, known: PackPolicy[]): boolean {
    const names = new Set(["all", ...known.map((p) => p.name)]);
    return Object.keys(config ?? {}).some((k) => names.has(k));
}

/** The stack name in a URN (urn:pulumi:<stack>::<project>::...). */
export function stackOfUrn(urn: string | undefined): string | undefined {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn ?? "");
    return m ? m[1] : undefined;
}

/**
 * The stack's policies/config/<environment>.json, when it exists: a shard
 * stack's environment is its `privatelink-platform:environment` (lib/pack-config.ts,
 * which the `npm run preview` / `npm run up` wrappers use too).
 */
export function stackPolicyConfig(stack: string | undefined): PolicyConfigFile | undefined {
    return readPackConfig(stack, configValue("environment")) as PolicyConfigFile | undefined;
}

export function resolveConfig(config: PolicyConfigFile | Record<string, unknown> | undefined, known: PackPolicy[]): ResolvedConfig {
    const levels = new Map<string, EnforcementLevel>();
    const props = new Map<string, Record<string, unknown>>();
    let all: EnforcementLevel | undefined;
    const names = new Set(known.map((p) => p.name));
    for (const [key, raw] of Object.entries(config ?? {})) {
        if (key !== "all" && !names.has(key)) {
            continue; // not policy-pack config (the engine only configures policies it serves)
        }
        let level: EnforcementLevel | undefined;
        let rest: Record<string, unknown> = {};
        if (typeof raw === "string") {
            level = checkLevel(raw, key);
        } else if (typeof raw === "object" && raw !== null) {
            const { enforcementLevel, ...others } = raw as Record<string, unknown>;
            level = checkLevel(enforcementLevel, key);
            rest = others;
        } else {
            throw new Error(`policy config ${key}: expected an enforcement level or an object`);
        }
        if (key === "all") {
            all = level;
            continue;
        }
        if (level) {
            levels.set(key, level);
        }
        const problems = checkPolicyConfig(key, rest, known.find((p) => p.name === key)?.configSchema);
        if (problems.length > 0) {
            throw new Error(`policy config does not match the policy's schema: ${problems.join("; ")}`);
        }
        props.set(key, rest);
    }
    return {
        level: (p) => levels.get(p.name) ?? all ?? p.enforcementLevel ?? "advisory",
        properties: (name) => ({ ...(props.get(name) ?? {}) }),
    };
}

function options(r: ResourceRecord): PolicyResourceOptions {
    const o = r.options ?? {};
    const out: PolicyResourceOptions = {
        protect: !!o.protect,
        ignoreChanges: Array.isArray(o.ignoreChanges) ? o.ignoreChanges : [],
        aliases: Array.isArray(o.aliases) ? o.aliases.filter((a): a is string => typeof a === "string") : [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: Array.isArray(o.additionalSecretOutputs) ? o.additionalSecretOutputs : [],
    };
    if (typeof o.deleteBeforeReplace === "boolean") {
        out.deleteBeforeReplace = o.deleteBeforeReplace;
    }
    if (r.parent) {
        out.parent = r.parent;
    }
    return out;
}

interface Sink {
    push(v: Violation): void;
}

function reporter(p: PackPolicy, level: EnforcementLevel, defaultUrn: string | null, out: Sink): ReportViolation {
    return ((message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const m = message as { message?: string; description?: string; urn?: string; enforcementLevel?: EnforcementLevel; severity?: Severity; exemption?: ExemptionMarker };
            const v: Violation = {
                policy: p.name,
                enforcementLevel: m.enforcementLevel || level,
                urn: m.urn ?? defaultUrn,
                message: m.message || m.description || p.description,
                severity: m.severity || p.severity,
            };
            if (m.exemption) {
                v.exemption = m.exemption;
            }
            out.push(v);
            return;
        }
        out.push({
            policy: p.name,
            enforcementLevel: level,
            urn: urn ?? defaultUrn,
            message: message ? `${p.description}\n${String(message)}` : p.description,
            severity: p.severity,
        });
    }) as ReportViolation;
}

function version(): string {
    return (pkg as { version?: string }).version ?? "0.0.0";
}

function onError(p: PackPolicy, e: unknown, urn: string | null, out: Sink, what: "resource"): void {
    if (e instanceof NotApplicable) {
        return;
    }
    const policyFrom = `policy '${p.name}' from policy pack '${POLICY_PACK_NAME}@v${version()}'`;
    if (e instanceof UnknownValueError) {
        out.push({
            policy: p.name,
            enforcementLevel: "advisory",
            urn,
            message: `can't run ${policyFrom} during preview: ${e.message}`,
            severity: p.severity,
            unknown: true,
        });
        return;
    }
    const err = e instanceof Error ? e.stack ?? e.message : String(e);
    throw new Error(`Error validating ${what} with ${policyFrom}:\n${err}`);
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
    return typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function";
}

/**
 * The resources a stack policy sees, built from the records as the engine
 * hands them to the pack (see the header: outputs after `up`, inputs over
 * preview outputs in preview, unknowns behind the unknown-checking proxy,
 * parent, dependencies and property dependencies resolved to resources),
 * with the rules' plan graph primed for them. The offline plan reads the
 * front door's routes through it too (tools/preview/front-door-path.ts), so
 * it draws what the rules decide. `fresh` builds the plan graph anew (as
 * evaluate() does, so a record changed in place is read again); without it
 * the graph last built for the same records and mode (lib/plan/graph.ts
 * `recordGraph`) is reused.
 */
export function stackResources(resources: ResourceRecord[], mode: "preview" | "up", fresh = true): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const list: PolicyResource[] = resources.map((r) => {
        // Copied when first read: a reader of a few resources (the plan's front-door section) pays for those only.
        let copy: Record<string, unknown> | undefined;
        const props = (): Record<string, unknown> => {
            if (!copy) {
                const merged = mode === "up" ? { ...(r.inputs ?? {}), ...(r.outputs ?? {}) } : { ...(r.outputs ?? {}), ...(r.inputs ?? {}) };
                copy = unknownCheckingProxy(reviveUnknowns(merged) as Record<string, unknown>);
            }
            return copy;
        };
        const pr: PolicyResource = {
            type: r.type,
            get props() {
                return props();
            },
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls: unknown) => pulumiTypeOf(cls) === r.type,
            asType: ((cls: unknown) => (pulumiTypeOf(cls) === r.type ? props() : undefined)) as PolicyResource["asType"],
        } as PolicyResource;
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = list[i];
        if (r.parent) {
            const parent = byUrn.get(r.parent);
            if (parent) {
                pr.parent = parent;
            }
        }
        pr.dependencies = (r.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            pr.propertyDependencies[k] = (urns ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => !!d);
        }
    });
    // The rules' plan graph is the graph of these records (node i is list[i]), read without the proxy.
    const graph = recordGraph(resources, mode, fresh);
    primePlanGraph(list, () => graph);
    return list;
}

/**
 * Runs every policy over the records and resolves to the diagnostics the
 * engine would print (advisory ones included; exempted ones carry `exemption`).
 */
export async function evaluate(resources: ResourceRecord[], opts: EvaluateOptions): Promise<Violation[]> {
    return withStackConfig(opts.stackConfig, () => evaluateWith(resources, opts));
}

async function evaluateWith(resources: ResourceRecord[], opts: EvaluateOptions): Promise<Violation[]> {
    const all = opts.policies ?? packPolicies;
    const now = opts.now ?? new Date();
    const given = opts.config as Record<string, unknown> | undefined;
    const usable = given !== undefined && (Object.keys(given).length === 0 || hasPolicyKeys(given, all));
    const cfg = resolveConfig(usable ? given : stackPolicyConfig(stackOfUrn(resources[0]?.urn)), all);
    const out: Violation[] = [];
    const emptyTags: ReadonlyMap<string, string> = new Map();

    // Resource validations indexed by type once; untyped ones run for every resource.
    interface Entry { policy: PackPolicy; level: EnforcementLevel; validation: ResourceValidation; order: number }
    const byType = new Map<string, Entry[]>();
    const untyped: Entry[] = [];
    const stackPolicies: { policy: PackPolicy; level: EnforcementLevel }[] = [];
    all.forEach((p, order) => {
        let level = cfg.level(p);
        if (level === "disabled") {
            return;
        }
        if (level === "remediate") {
            level = "mandatory";
        }
        if (isStackRule(p)) {
            stackPolicies.push({ policy: p, level });
            return;
        }
        const vr = (p as { validateResource?: ResourceValidation | ResourceValidation[] }).validateResource;
        if (!vr) {
            return;
        }
        for (const validation of Array.isArray(vr) ? vr : [vr]) {
            const t = pulumiTypeOf(validation);
            const e: Entry = { policy: p, level, validation, order };
            if (t) {
                const l = byType.get(t) ?? [];
                l.push(e);
                byType.set(t, l);
            } else {
                untyped.push(e);
            }
        }
    });
    const configs = new Map<string, Record<string, unknown>>();
    const configOf = (name: string) => {
        let c = configs.get(name);
        if (!c) {
            c = cfg.properties(name);
            configs.set(name, c);
        }
        return c;
    };

    // Resource policies: inputs.
    for (const r of resources) {
        const entries = [...(byType.get(r.type) ?? []), ...untyped].sort((a, b) => a.order - b.order);
        if (entries.length === 0 || r.op === "read") {
            continue;
        }
        const props = unknownCheckingProxy(reviveUnknowns(r.inputs ?? {}) as Record<string, unknown>);
        const resourceOpts = options(r);
        for (const e of entries) {
            const args = {
                type: r.type,
                props,
                urn: r.urn,
                name: r.name,
                opts: resourceOpts,
                stackTags: emptyTags,
                isType: (cls: unknown) => pulumiTypeOf(cls) === r.type,
                asType: (cls: unknown) => (pulumiTypeOf(cls) === r.type ? props : undefined),
                getConfig: () => configOf(e.policy.name),
                notApplicable: throwNotApplicable,
                [NOW_KEY]: now,
            };
            try {
                const res = e.validation(args as never, reporter(e.policy, e.level, r.urn, out));
                if (isThenable(res)) {
                    await res;
                }
            } catch (err) {
                onError(e.policy, err, r.urn, out, "resource");
            }
        }
    }

    // Stack policies: one resolved resource graph shared by all of them.
    if (stackPolicies.length > 0) {
        const list = stackResources(resources, opts.mode);
        primeReachability(list, () => analyzeRecords(resources, opts.mode, true));
        for (const { policy, level } of stackPolicies) {
            const args = {
                resources: list,
                getConfig: () => configOf(policy.name),
                stackTags: emptyTags,
                notApplicable: throwNotApplicable,
                [NOW_KEY]: now,
            };
            try {
                const res = (policy as { validateStack: (a: never, r: ReportViolation) => unknown }).validateStack(args as never, reporter(policy, level, null, out));
                if (isThenable(res)) {
                    await res;
                }
            } catch (err) {
                onError(policy, err, null, out, "resource");
            }
        }
    }
    return out;
}

/** Counts by enforcement level (exempted findings counted separately). */
export function summarize(violations: Violation[]): Record<"mandatory" | "advisory" | "exempted" | "unknown", number> {
    const s = { mandatory: 0, advisory: 0, exempted: 0, unknown: 0 };
    for (const v of violations) {
        if (v.exemption) s.exempted++;
        else if (v.unknown) s.unknown++;
        else if (v.enforcementLevel === "mandatory") s.mandatory++;
        else s.advisory++;
    }
    return s;
}

/**
 * The last analysis evaluate() made, handed once to `reachability()` for the
 * same records (as `npm run plan` calls one after the other), so the plan does
 * not analyse twice.
 */
let handoff: { resources: ResourceRecord[]; length: number; mode: string; config: unknown; result: Reachability } | undefined;

function analyzeRecords(resources: ResourceRecord[], mode: "preview" | "up", forRules: boolean): Reachability {
    const graph = recordGraph(resources, mode);
    const intent = intentFromStackConfig(graph);
    // The rules check nothing without the catalog's intent; the plan's section still shows start-up.
    const result = intent ? analyze(graph, intent) : forRules ? NONE : analyze(graph, {});
    if (forRules && intent) handoff = { resources, length: resources.length, mode, config: currentConfig(), result };
    return result;
}

/**
 * The reachability analysis of the records (docs/reachability.md), as
 * `npm run plan` shows it: the same model the reachability rules decide with.
 */
export async function reachability(resources: ResourceRecord[], context: { mode: "preview" | "up"; stackConfig?: Record<string, unknown> }): Promise<ReachabilityReport> {
    return withStackConfig(context.stackConfig, async () => {
        const h = handoff;
        handoff = undefined;
        const reuse = h && h.resources === resources && h.length === resources.length && h.mode === context.mode && h.config === currentConfig();
        return reachabilityReport(reuse ? h.result : analyzeRecords(resources, context.mode, false));
    });
}

/** The text section of `npm run plan` for a report from `reachability()`. */
export function renderReachability(report: unknown): string[] {
    return renderReachabilityText(report as ReachabilityReport);
}
