/**
 * `npm run plan -- --env <env> [--mode preview|up] [--json]`: the offline
 * environment plan (./env.ts) and the environment checks (./env-checks.ts),
 * printed per shard and for the environment.
 *
 * Exit codes as the single-stack plan: 0 clean; 1 a mandatory violation (of
 * a shard's policies or an environment check) or a program error; 2 an
 * invalid catalog (every problem listed) or an unknown environment.
 */
import * as fs from "fs";
import * as path from "path";
import { EnvFinding, checkEnvironment, environmentViolations, EnvChecks } from "./env-checks";
import { EnvironmentModel, EnvironmentPlan, NetRecordLike, planEnvironment, displayOutputs } from "./env";
import { parsedConfigValue as parsed } from "../../components/catalog/environment";
import { environmentModel } from "./env-model";
import { defaultCacheDir, NOT_PLAN_INPUTS, planCache } from "./env-cache";
import { changeSince } from "./env-change";
import { Affected, affectedShards } from "../env/affected";
import { loadEnvironment } from "../../components/catalog/environment";
import { defaultLanes } from "./env-pool";
import { EvaluatePolicies, QuotaReport, ResourceRecord, StackNotFoundError } from "./index";
import { Mode } from "./monitor";
import { policySummary } from "./render";

export interface EnvCliOptions {
    env: string;
    mode: Mode;
    json: boolean;
    projectDir: string;
    configFile?: string;
    /** `--changed <ref>`: plan only the shards the change since `ref` can affect, the others from the cache. */
    changed?: string;
    /** The cache of shard plans (default ./env-cache.ts defaultCacheDir); "off": none. */
    cacheDir?: string;
    evaluatePolicies?: EvaluatePolicies;
    quotaReport?: QuotaReport;
}

interface ReachabilityModule {
    slimRecords(records: ResourceRecord[], mode: Mode): NetRecordLike[];
    analyze(records: NetRecordLike[], opts: unknown): { edges: Array<{ consumer: string; provider: string; status: string; reason?: string }>; undeclared: Array<{ consumer: string; provider: string; reason?: string }>; outside: unknown[]; notes: string[] };
    intentFromCatalog(services: unknown, region?: unknown, platform?: unknown): unknown;
    reachabilityReport(r: unknown): unknown;
    renderReachability(r: unknown): string[];
}

/** The project's reachability model (policies/lib/reachability), if it has one. */
function loadReachabilityModel(projectDir: string): ReachabilityModule | undefined {
    const dir = path.join(projectDir, "policies", "lib", "reachability");
    if (!fs.existsSync(path.join(dir, "analyze.ts")) && !fs.existsSync(path.join(dir, "analyze.js"))) return undefined;
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
        ...require(path.join(dir, "..", "plan", "slim")),
        ...require(path.join(dir, "analyze")),
        ...require(path.join(dir, "catalog")),
        ...require(path.join(dir, "report")),
    } as ReachabilityModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The reachability model over the union of every shard's records. */
function unionReachability(model: EnvironmentModel, reach: ReachabilityModule, project: string) {
    return (plan: EnvironmentPlan) => {
        const intent = reach.intentFromCatalog(parsed(model.envConfig[`${project}:services`]), model.region, parsed(model.envConfig[`${project}:platform`]));
        const r = reach.analyze(plan.netRecords, intent);
        const findings: EnvFinding[] = [];
        for (const e of r.edges) {
            if (e.status === "blocked") findings.push({ check: "env-reachability", enforcementLevel: "mandatory", message: `declared edge ${e.consumer}->${e.provider} does not reach: ${e.reason ?? ""}` });
            else if (e.status === "partial") findings.push({ check: "env-reachability", enforcementLevel: "advisory", message: `declared edge ${e.consumer}->${e.provider}: ${e.reason ?? "not decidable from these records"}` });
        }
        for (const u of r.undeclared) findings.push({ check: "env-reachability", enforcementLevel: "mandatory", message: `${u.consumer} reaches ${u.provider} without a declared edge: ${u.reason ?? ""}` });
        return { findings, report: reach.reachabilityReport(r) };
    };
}

/** The environment checks of a plan (./env-checks.ts), with the project's reachability model over the union when it has one. */
export function environmentChecks(projectDir: string, model: EnvironmentModel, plan: EnvironmentPlan, reach = loadReachabilityModel(projectDir)): EnvChecks {
    const ns = Object.keys(model.envConfig).find(k => k.endsWith(":services"))?.split(":")[0] ?? path.basename(projectDir);
    return checkEnvironment(model, plan, reach ? unionReachability(model, reach, ns) : undefined);
}

function pad(s: string | number, n: number, right = false): string {
    const t = String(s);
    return right ? t.padStart(n) : t.padEnd(n);
}

/** What `--changed` planned: the change's selection (tools/env/affected.ts) and what the plan did with it. */
export interface ChangedSummary extends Affected {
    ref: string;
    commit: string;
    /** Shards planned besides the touched ones: what they read changed, or the cache had no entry for it. */
    replanned: string[];
    /** Shards whose outputs and findings came from the cache. */
    cached: string[];
}

function list(names: string[], max = 12): string {
    return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")}, … (${names.length - max} more)`;
}

export function renderEnvironment(plan: EnvironmentPlan, checks: EnvChecks, sections: string[] = [], changed?: ChangedSummary): string {
    const lines: string[] = [];
    const violations = environmentViolations(plan, checks);
    lines.push(`Environment ${plan.env} (${plan.mode}): ${plan.shards.length} shard(s), ${plan.shards.reduce((n, s) => n + s.resources, 0)} resources, ${plan.runs} program runs in ${plan.passes} pass(es)`);
    if (changed) {
        lines.push(`Changed since ${changed.ref} (${changed.commit.slice(0, 12)}): ${changed.touched.length} shard(s) touched${changed.touched.length ? ` (${list(changed.touched)})` : ""}, ${changed.follow.length} may follow${changed.follow.length ? ` (${list(changed.follow)})` : ""}`);
        lines.push(`  planned again because what they read changed, or the cache held no plan for it: ${changed.replanned.length}${changed.replanned.length ? ` (${list(changed.replanned)})` : ""}`);
        lines.push(`  outputs and findings from the cache (same inputs): ${changed.cached.length} shard(s)`);
    }
    lines.push("");
    const w = Math.max(5, ...plan.shards.map(s => s.stack.length));
    lines.push(`  ${pad("stack", w)}  ${pad("account", 12)}  ${pad("resources", 9, true)}  ${pad("runs", 4, true)}  ${pad("mandatory", 9, true)}  ${pad("advisory", 8, true)}  services`);
    for (const s of plan.shards) {
        const mandatory = s.violations.filter(v => v.enforcementLevel === "mandatory").length;
        const account = `${s.account}${s.fakeAccount ? "*" : ""}`;
        lines.push(`  ${pad(s.stack, w)}  ${pad(account, 12)}  ${pad(s.errors ? "-" : s.resources, 9, true)}  ${pad(s.runs, 4, true)}  ${pad(mandatory, 9, true)}  ${pad(s.violations.length - mandatory, 8, true)}  ${s.services.join(", ")}`);
    }
    if (plan.shards.some(s => s.fakeAccount)) lines.push("  * the catalog leaves this shard's account as needsInput: planned as a fake account of its own");
    for (const s of plan.shards.filter(x => x.errors)) {
        lines.push("", `Shard ${s.name}: invalid catalog`);
        for (const p of s.errors!) lines.push(`  ${p.path}: ${p.message}`);
    }
    const mandatoryShardViolations = plan.shards.flatMap(s => s.violations.filter(v => v.enforcementLevel === "mandatory").map(v => ({ s, v })));
    if (mandatoryShardViolations.length > 0) {
        lines.push("", "Mandatory policy violations in shards:");
        for (const { s, v } of mandatoryShardViolations) lines.push(`  [${s.name}] ${v.policy}: ${v.message}${v.urn ? ` (${v.urn})` : ""}`);
    }
    lines.push("", "Environment checks:");
    lines.push(`  cross-shard edges wired by reference: ${checks.wired.length}${checks.wired.length ? ` (${checks.wired.join(", ")})` : ""}`);
    lines.push(`  cross-shard connections accepted: ${plan.mode === "up" ? checks.accepted.length : "decided in --mode up"}`);
    const admittedForeign = Object.entries(checks.admitted).filter(([, a]) => a.length > 0);
    for (const [service, accounts] of admittedForeign) lines.push(`  ${service} admits accounts ${accounts.join(", ")}`);
    if (checks.quotas.length > 0) {
        lines.push("  region quotas per account:");
        for (const q of checks.quotas) lines.push(`    ${q.ok ? "ok  " : "OVER"} ${q.account} ${q.region} ${q.name} (${q.code}): need ${q.need} of ${q.limit}`);
    }
    if (checks.findings.length === 0) lines.push("  no findings");
    for (const f of checks.findings) lines.push(`  ${f.enforcementLevel === "mandatory" ? "mandatory" : "advisory "} ${f.check}${f.shard ? ` [${f.shard}]` : ""}: ${f.message}`);
    if (sections.length > 0) lines.push("", ...sections);
    lines.push("", policySummary(violations));
    return lines.join("\n") + "\n";
}

export function environmentJson(plan: EnvironmentPlan, checks: EnvChecks, changed?: ChangedSummary): unknown {
    const violations = environmentViolations(plan, checks);
    return {
        env: plan.env,
        mode: plan.mode,
        passes: plan.passes,
        runs: plan.runs,
        ...(changed ? { changed } : {}),
        shards: plan.shards.map(s => ({
            name: s.name, stack: s.stack, account: s.account, fakeAccount: s.fakeAccount, region: s.region, services: s.services,
            resources: s.resources, runs: s.runs, violations: s.violations, quotas: s.quotas, needsInput: s.needsInput, references: s.references,
            ...(s.errors ? { errors: s.errors } : {}),
        })),
        outputs: displayOutputs(plan),
        checks: { wired: checks.wired, accepted: checks.accepted, admitted: checks.admitted, quotas: checks.quotas, findings: checks.findings, reachability: checks.reachability },
        summary: {
            shards: plan.shards.length,
            resources: plan.shards.reduce((n, s) => n + s.resources, 0),
            mandatory: violations.filter(v => v.enforcementLevel === "mandatory").length,
            advisory: violations.filter(v => v.enforcementLevel !== "mandatory").length,
        },
    };
}

/** Runs the environment plan; returns the exit code. */
export async function mainEnv(opts: EnvCliOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
    let model: EnvironmentModel;
    try {
        model = environmentModel(opts.projectDir, opts.env, opts.configFile);
    } catch (e) {
        const problems = (e as { problems?: Array<{ path: string; message: string }> }).problems;
        if (e instanceof Error && e.name === "CatalogValidationError" && Array.isArray(problems)) {
            err(`error: the service catalog of environment '${opts.env}' has ${problems.length} problem(s); nothing was planned:\n`);
            for (const p of problems) err(`  ${p.path}: ${p.message}\n`);
            if (opts.json) out(JSON.stringify({ env: opts.env, mode: opts.mode, shards: [], errors: problems }, null, 2) + "\n");
            return 2;
        }
        err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        if (opts.json) out(JSON.stringify({ env: opts.env, mode: opts.mode, shards: [], error: e instanceof Error ? e.message : String(e) }, null, 2) + "\n");
        return e instanceof StackNotFoundError ? 2 : 1;
    }
    const reach = loadReachabilityModel(opts.projectDir);
    // --changed: the shards the change touches and those that may follow, as CI's matrix selects them.
    let selection: (Affected & { ref: string; commit: string }) | undefined;
    if (opts.changed !== undefined) {
        try {
            const change = changeSince(opts.projectDir, opts.env, opts.changed, opts.configFile);
            const environment = loadEnvironment(opts.projectDir, opts.env, opts.configFile);
            selection = { ref: change.ref, commit: change.commit, ...affectedShards(opts.projectDir, environment, change, { ignore: NOT_PLAN_INPUTS, envFile: change.envFile }) };
        } catch (e) {
            err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
            if (opts.json) out(JSON.stringify({ env: opts.env, mode: opts.mode, shards: [], error: e instanceof Error ? e.message : String(e) }, null, 2) + "\n");
            return 2;
        }
    }
    const cacheDir = opts.cacheDir ?? defaultCacheDir(opts.projectDir);
    const cache = cacheDir === "off" ? undefined : planCache(opts.projectDir, model, cacheDir);
    if (selection && !cache) {
        err("error: --changed takes the shards it does not plan from the cache of shard plans, which is off (PRIVATELINK_PLAN_CACHE=off)\n");
        return 2;
    }
    let plan: EnvironmentPlan;
    try {
        plan = await planEnvironment({
            projectDir: opts.projectDir,
            model,
            mode: opts.mode,
            evaluatePolicies: opts.evaluatePolicies,
            quotaReport: opts.quotaReport,
            toNetRecords: reach ? (records, mode) => reach.slimRecords(records, mode) : undefined,
            // Workers load the same hooks from the project (./env-run.ts loadProjectHooks).
            lanes: defaultLanes(),
            ...(cache ? { cache } : {}),
            ...(selection ? { reuse: { touched: new Set(selection.touched) } } : {}),
        });
    } catch (e) {
        err(`error: the environment plan failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        if (opts.json) out(JSON.stringify({ env: opts.env, mode: opts.mode, shards: [], error: e instanceof Error ? e.message : String(e) }, null, 2) + "\n");
        return 1;
    }
    const changed: ChangedSummary | undefined = selection && plan.reused
        ? { ...selection, replanned: plan.reused.replanned, cached: plan.reused.cached }
        : undefined;
    const checks = environmentChecks(opts.projectDir, model, plan, reach);
    const sections = reach && checks.reachability !== undefined && !opts.json ? reach.renderReachability(checks.reachability) : [];
    out(opts.json ? JSON.stringify(environmentJson(plan, checks, changed), null, 2) + "\n" : renderEnvironment(plan, checks, sections, changed));
    if (plan.shards.some(s => s.errors)) return 2;
    return environmentViolations(plan, checks).some(v => v.enforcementLevel === "mandatory") ? 1 : 0;
}
