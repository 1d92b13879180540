/**
 * One run of one shard for the environment plan (./env.ts), and what is kept
 * of it. The same function runs in the planning thread and in the worker
 * threads of ./env-pool.ts, so a job and its result are plain data (they
 * cross threads by structured clone) and the hooks (policy pack, quota
 * counter, reachability records) are loaded by each thread for itself.
 */
import * as fs from "fs";
import * as path from "path";
import { assumedRoleAccount, STACK_REFERENCE_TYPE } from "./cloud";
import type { Diagnostic, EvaluatePolicies, NeedsInputRecord, QuotaReport, QuotaRow, ResourceRecord, Violation } from "./index";
import { loadPolicyEvaluator, loadQuotaReport } from "./project-hooks";
import { runPreview } from "./index";
import type { Mode } from "./monitor";
import type { PlanRecord } from "../../policies/lib/plan/record";
import { PlanNode, recordGraph } from "../../policies/lib/plan/graph";
import { TAGS, TYPES } from "../../policies/lib/plan/types";

/** A shard's interface endpoint, as the environment checks join it. */
export interface EndpointFact {
    shard: string;
    urn: string;
    /** The service whose VPC holds the endpoint (tag privatelink:consumer, else privatelink:service). */
    consumer?: string;
    serviceName: unknown;
    id: unknown;
}

/** A shard's endpoint service. */
export interface EndpointServiceFact {
    shard: string;
    urn: string;
    service?: string;
    allowedPrincipals: unknown;
    serviceName: unknown;
    id: unknown;
}

/** A shard's endpoint connection accepter. */
export interface AccepterFact {
    shard: string;
    urn: string;
    vpcEndpointServiceId: unknown;
    vpcEndpointId: unknown;
}

/** Slim records of the reachability model (policies/lib/plan/slim.ts): plan records reduced to what it reads. */
export type NetRecordLike = PlanRecord;

/** What a shard run needs besides the program: the project's policy pack, quota counter and reachability records. */
export interface ShardHooks {
    evaluatePolicies?: EvaluatePolicies;
    quotaReport?: QuotaReport;
    /** Turns a shard's records into the reachability model's slim records (policies/lib/plan slimRecords). */
    toNetRecords?: (records: ResourceRecord[], mode: Mode) => NetRecordLike[];
}

/** One run of one shard: plain data. */
export interface ShardJob {
    projectDir: string;
    shard: string;
    stack: string;
    mode: Mode;
    /** A final run (policies, quotas, reachability records kept); otherwise only the outputs and the references count. */
    full: boolean;
    stackConfig: Record<string, unknown>;
    accountId?: string;
    /** The outputs (wire form) of the stacks this shard may read, by qualified stack name. */
    outputs: Array<[string, Record<string, unknown>]>;
}

/** The join facts of a shard's records. */
export interface ShardFacts {
    endpoints: EndpointFact[];
    endpointServices: EndpointServiceFact[];
    accepters: AccepterFact[];
    /** Stacks it reads through StackReference. */
    references: string[];
    /** The account of its assumed-role provider, if it has one. */
    roleAccount?: string;
}

/** What is kept of a run: plain data, the records themselves are released. */
export interface ShardRunResult {
    facts: ShardFacts;
    /** The stack's outputs in wire form (what other stacks' references read), when the program ran. */
    wire?: Record<string, unknown>;
    resources: number;
    violations: Violation[];
    quotas: QuotaRow[];
    needsInput: NeedsInputRecord[];
    errors?: Array<{ path: string; message: string }>;
    net?: NetRecordLike[];
    /** What the program logged in this run (a shard's last run is the one the environment keeps). */
    diagnostics: Diagnostic[];
}

/** The facts the environment checks join, read from a shard's records through the plan graph (values in display form). */
export function factsOf(shard: string, records: ResourceRecord[]): ShardFacts {
    const out: ShardFacts = { endpoints: [], endpointServices: [], accepters: [], references: [] };
    const g = recordGraph(records);
    const tag = (n: PlanNode, key: string) => {
        const v = g.tag(n, key);
        return typeof v === "string" ? v : undefined;
    };
    const shown = (n: PlanNode) => n.record as ResourceRecord;
    for (const n of g.ofType(TYPES.vpcEndpoint)) {
        const r = shown(n);
        const props = { ...r.outputs, ...r.inputs };
        if (props.vpcEndpointType !== "Interface") continue;
        out.endpoints.push({ shard, urn: r.urn, consumer: tag(n, TAGS.consumer) ?? tag(n, TAGS.service), serviceName: props.serviceName, id: r.id });
    }
    for (const n of g.ofType(TYPES.endpointService)) {
        const r = shown(n);
        out.endpointServices.push({ shard, urn: r.urn, service: tag(n, TAGS.service), allowedPrincipals: { ...r.outputs, ...r.inputs }.allowedPrincipals, serviceName: r.outputs.serviceName, id: r.id });
    }
    for (const n of g.ofType(TYPES.connectionAccepter)) {
        const props = { ...shown(n).outputs, ...shown(n).inputs };
        out.accepters.push({ shard, urn: n.urn, vpcEndpointServiceId: props.vpcEndpointServiceId, vpcEndpointId: props.vpcEndpointId });
    }
    for (const n of g.ofType(STACK_REFERENCE_TYPE)) out.references.push(String(shown(n).inputs.name ?? shown(n).id ?? n.name));
    for (const n of g.ofType("pulumi:providers:aws")) out.roleAccount ??= assumedRoleAccount(shown(n).inputs);
    return out;
}

/**
 * What the environment keeps of a quota row: the environment checks sum the
 * Region-scoped ones; a row the shard does not use at all is dropped.
 */
function keptQuotas(rows: QuotaRow[] | undefined): QuotaRow[] {
    return (rows ?? []).filter(q => q.need > 0 || !q.ok);
}

/** Runs one shard once and keeps what the environment plan needs of it. */
export async function runShard(job: ShardJob, hooks: ShardHooks): Promise<ShardRunResult> {
    let wire: Record<string, unknown> | undefined;
    const result = await runPreview({
        projectDir: job.projectDir,
        stack: job.stack,
        mode: job.mode,
        stackConfig: job.stackConfig,
        accountId: job.accountId,
        stackOutputs: new Map(job.outputs),
        reuseModules: true,
        onStackOutputs: o => {
            wire = o;
        },
        evaluatePolicies: job.full ? hooks.evaluatePolicies : undefined,
        quotaReport: job.full ? hooks.quotaReport : undefined,
    });
    const facts = factsOf(job.shard, result.resources);
    return {
        facts,
        ...(wire !== undefined ? { wire } : {}),
        resources: result.resources.length,
        violations: result.violations,
        quotas: job.full ? keptQuotas(result.quotas) : [],
        needsInput: result.needsInput,
        diagnostics: result.diagnostics ?? [],
        ...(result.errors ? { errors: result.errors } : {}),
        ...(job.full && hooks.toNetRecords ? { net: hooks.toNetRecords(result.resources, job.mode) } : {}),
    };
    // `result` (and its records) goes out of scope here.
}

/**
 * The hooks of a project as `npm run plan` loads them (./project-hooks.ts):
 * `evaluate` and `quotaReport` from policies/evaluate, `slimRecords` from
 * policies/lib/plan/slim; each absent when the project has none.
 */
export function loadProjectHooks(projectDir: string): ShardHooks {
    const hooks: ShardHooks = {};
    const evaluatePolicies = loadPolicyEvaluator(projectDir);
    const quotaReport = loadQuotaReport(projectDir);
    if (evaluatePolicies) hooks.evaluatePolicies = evaluatePolicies;
    if (quotaReport) hooks.quotaReport = quotaReport;
    const slim = path.join(projectDir, "policies", "lib", "plan", "slim");
    if ([".ts", ".js"].some(ext => fs.existsSync(slim + ext))) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(slim) as { slimRecords?: ShardHooks["toNetRecords"] };
        if (typeof mod.slimRecords === "function") hooks.toNetRecords = mod.slimRecords;
    }
    return hooks;
}

/** The wire key of a registered symbol in a result crossing threads (symbols cannot be cloned). */
const SYMBOL_KEY = "\u0000symbol";

/**
 * A result as it crosses threads: every registered symbol (e.g. the policy
 * pack's marker of an unknown value) becomes `{ "\0symbol": key }`, which
 * `fromTransfer` turns back into the same symbol. An unregistered symbol
 * cannot come back as itself: it is refused, naming where it was.
 */
export function toTransfer(v: unknown, where = "result"): unknown {
    if (typeof v === "symbol") {
        const key = Symbol.keyFor(v);
        if (key === undefined) throw new Error(`${where} holds ${String(v)}, which cannot cross threads: use a registered symbol (Symbol.for)`);
        return { [SYMBOL_KEY]: key };
    }
    if (Array.isArray(v)) return v.map((x, i) => toTransfer(x, `${where}[${i}]`));
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = toTransfer(x, `${where}.${k}`);
        return out;
    }
    return v;
}

/** The inverse of `toTransfer`. */
export function fromTransfer(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(fromTransfer);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        if (keys.length === 1 && keys[0] === SYMBOL_KEY && typeof o[SYMBOL_KEY] === "string") return Symbol.for(o[SYMBOL_KEY] as string);
        const out: Record<string, unknown> = {};
        for (const k of keys) out[k] = fromTransfer(o[k]);
        return out;
    }
    return v;
}
