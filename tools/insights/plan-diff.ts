/**
 * `npm run plan -- --stack dev --base <git-ref> [--json] [--comment out.md]`:
 * plans the base revision (./base-plan.ts), diffs it against the current plan
 * (./diff.ts), adds the cost delta when the cost estimator is present
 * (./cost.ts, `estimateMonthlyCost`), and renders text, JSON or a pull-request
 * comment (./comment.ts).
 */
import * as fs from "fs";
import * as path from "path";
import type { PreviewResult, ResourceRecord, Violation } from "../preview";
import { readProject, readStackConfig, toProgramConfig } from "../preview/config";
import { BasePlanError, BasePlanResult, planBase } from "./base-plan";
import { CostTotals, diffPlans } from "./diff";
import { renderComment } from "./comment";
import { money, signedMoney } from "./money";
import { MAX_PATHS, PlanDiffReport } from "./plan-diff-report";

export type { PlanDiffReport };

/** The part of insight-cost's estimate the diff reads (contract: team.md, "Issue 12 contract"). */
export interface CostEstimateLike {
    currency: string;
    total: number;
    services: Record<string, { total: number }>;
    priceTableDate?: string;
}
export type CostEstimator = (records: ResourceRecord[], opts: { region: string; stackConfig: Record<string, string> }) => CostEstimateLike;

/** The cost estimator of this checkout (tools/insights/cost.ts), if it has one. */
export function loadCostEstimator(dir = __dirname): CostEstimator | undefined {
    const base = path.join(dir, "cost");
    if (![".ts", ".js"].some(ext => fs.existsSync(base + ext))) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(base) as { estimateMonthlyCost?: CostEstimator };
    return typeof mod.estimateMonthlyCost === "function" ? mod.estimateMonthlyCost : undefined;
}

export interface PlanDiffOptions {
    projectDir: string;
    stack: string;
    mode: "preview" | "up";
    ref: string;
    head: PreviewResult;
    /** The current stack's `config:` map (as the plan read it). */
    headStackConfig: Record<string, unknown>;
    cacheDir?: string;
    shareInstall?: boolean;
    estimator?: CostEstimator | null;
    log?: (line: string) => void;
    /** The base plan, already started (startBasePlan), so it runs while the current plan does. */
    pending?: Promise<BasePlanResult>;
}

/**
 * Starts planning the base revision now (a child process: it runs alongside
 * the current plan). The promise never rejects unhandled: errors surface
 * when runPlanDiff awaits it.
 */
export function startBasePlan(opts: { projectDir: string; ref: string; stack: string; mode: "preview" | "up"; log?: (line: string) => void }): Promise<BasePlanResult> {
    const p = planBase(opts);
    p.catch(() => undefined);
    return p;
}

function totals(e: CostEstimateLike): CostTotals {
    const services: Record<string, number> = {};
    for (const [name, s] of Object.entries(e.services ?? {})) services[name] = s.total;
    return { currency: e.currency, total: e.total, services };
}

export async function runPlanDiff(opts: PlanDiffOptions): Promise<PlanDiffReport> {
    const project = readProject(opts.projectDir).name;
    let base: BasePlanResult;
    try {
        base = await (opts.pending ??
            planBase({ projectDir: opts.projectDir, ref: opts.ref, stack: opts.stack, mode: opts.mode, cacheDir: opts.cacheDir, shareInstall: opts.shareInstall, log: opts.log }));
    } catch (e) {
        if (!(e instanceof BasePlanError)) throw e;
        return { stack: opts.stack, mode: opts.mode, base: { ref: opts.ref, commit: "", install: "shared", timings: { worktreeMs: 0, installMs: 0, planMs: 0, totalMs: 0 } }, error: e.message };
    }
    const { plan, stderr, stackConfig: baseStackConfig, exitCode, projectDir: baseDir, stackMissing, ...baseInfo } = base;
    const report: PlanDiffReport = { stack: opts.stack, mode: opts.mode, base: baseInfo };
    let p = plan as (Partial<PreviewResult> & { error?: string }) | null;
    let code = exitCode;
    if (stackMissing) {
        // The stack is new in this change: the base has nothing of it.
        report.newStack = true;
        p = { project, resources: [], violations: [] };
        code = 0;
    }
    if (!p || p.error || p.errors || !Array.isArray(p.resources) || code > 1) {
        const why = p?.error ?? (p?.errors ? p.errors.map(e => `${e.path}: ${e.message}`).join("; ") : stderr ?? `exit code ${exitCode}`);
        report.error = `the base revision ${base.commit.slice(0, 12)} could not be planned: ${why}`;
        return report;
    }
    let cost: Parameters<typeof diffPlans>[2];
    const estimator = opts.estimator === undefined ? loadCostEstimator() : opts.estimator;
    if (!estimator) {
        cost = { unavailable: "no cost estimator in this checkout (tools/insights/cost.ts)" };
    } else {
        const estimate = (records: ResourceRecord[], cfg: Record<string, unknown>) =>
            estimator(records, { region: String(cfg["aws:region"] ?? "us-east-1"), stackConfig: toProgramConfig(project, cfg).config });
        try {
            const h = estimate(opts.head.resources, opts.headStackConfig);
            const b = estimate(p.resources as ResourceRecord[], baseStackConfig ?? {});
            cost = { base: totals(b), head: totals(h) };
            if (h.priceTableDate) report.priceTableDate = h.priceTableDate;
        } catch (e) {
            cost = { unavailable: `the cost estimate failed: ${e instanceof Error ? e.message : String(e)}` };
        }
    }
    report.diff = diffPlans(
        { stack: opts.stack, project: String(p.project ?? project), resources: p.resources as ResourceRecord[], violations: (p.violations ?? []) as Violation[] },
        { stack: opts.stack, project: opts.head.project, resources: opts.head.resources, violations: opts.head.violations },
        cost,
        { base: baseDir, head: path.resolve(opts.projectDir) },
    );
    return report;
}

/** The current stack's `config:` map, read as the plan reads it. */
export function headStackConfig(projectDir: string, stack: string, configFile?: string): Record<string, unknown> {
    return readStackConfig(readProject(projectDir), stack, configFile);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function short(v: unknown, max = 80): string {
    const s = typeof v === "string" ? JSON.stringify(v) : v === undefined ? "(none)" : JSON.stringify(v);
    return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

/** The diff as text (what `npm run plan -- --base <ref>` prints). */
export function renderDiffText(report: PlanDiffReport): string {
    const lines: string[] = [];
    const b = report.base;
    lines.push(`Plan diff of stack ${report.stack} (mode ${report.mode}): base ${b.ref}${b.commit ? ` (${b.commit.slice(0, 12)})` : ""} → this checkout`);
    if (b.commit) {
        const t = b.timings;
        lines.push(`  base planned in ${seconds(t.totalMs)}: worktree ${seconds(t.worktreeMs)}, install ${seconds(t.installMs)} (${b.install}), plan ${seconds(t.planMs)}`);
    }
    if (report.newStack) lines.push(`  the stack is new in this change (no stack file at the base): everything in it is created`);
    lines.push("");
    if (report.error || !report.diff) {
        lines.push(`error: ${report.error ?? "no diff"}`, "");
        return lines.join("\n");
    }
    const d = report.diff;
    const s = d.summary;
    if (d.services.added.length || d.services.removed.length || d.services.changed.length) {
        lines.push("Services:");
        for (const x of d.services.added) lines.push(`  + ${x}`);
        for (const x of d.services.removed) lines.push(`  - ${x}`);
        if (d.services.changed.length) lines.push(`  ~ ${d.services.changed.join(", ")}`);
        lines.push("");
    }
    if (d.edges.added.length || d.edges.removed.length) {
        lines.push("Edges (consumer->provider):");
        for (const x of d.edges.added) lines.push(`  + ${x}`);
        for (const x of d.edges.removed) lines.push(`  - ${x}`);
        lines.push("");
    }
    lines.push(`Resources: ${s.added} to create, ${s.removed} to delete, ${s.changed} to change (${s.replaced} replaced), ${s.moved} moved`);
    const svc = (r: { service?: string }) => (r.service ? `  [${r.service}]` : "");
    for (const r of d.added) lines.push(`  + ${r.type}  ${r.name}${svc(r)}`);
    for (const r of d.removed) lines.push(`  - ${r.type}  ${r.name}${svc(r)}`);
    for (const c of d.changed) {
        const why = c.replacedBecause.length
            ? `replace (${c.replacedBecause.map(r => `${r.property}: ${r.source}`).join("; ")})`
            : c.action === "replace" ? "replace (moved without an alias)" : "update";
        lines.push(`  ${c.action === "replace" ? "+-" : "~ "} ${c.type}  ${c.name}${svc(c)}  ${why}`);
        for (const p of c.properties.slice(0, MAX_PATHS)) lines.push(`        ${p.path}: ${short(p.before)} → ${short(p.after)}`);
        if (c.properties.length > MAX_PATHS) lines.push(`        … ${c.properties.length - MAX_PATHS} more`);
    }
    for (const m of d.moved) lines.push(`  > ${m.type}  ${m.name}  moved (${m.how}: ${m.effect})\n        from ${m.from}\n        to   ${m.to}`);
    lines.push("");
    const unk = d.findings.unknownInPreview;
    lines.push(`Policy findings: ${s.newFindings} new (${s.newMandatory} mandatory), ${s.resolvedFindings} resolved` +
        (unk.base || unk.head ? `; not compared: ${unk.head} findings that need values unknown in preview (base ${unk.base})` : ""));
    for (const f of d.findings.new) lines.push(`  + [${f.enforcementLevel}] ${f.policy}  ${f.urn ?? "(stack)"}\n        ${f.message.split("\n")[0]}`);
    for (const f of d.findings.resolved) lines.push(`  - [${f.enforcementLevel}] ${f.policy}  ${f.urn ?? "(stack)"}`);
    lines.push("");
    if (d.cost) {
        const c = d.cost;
        lines.push(`Monthly cost estimate${report.priceTableDate ? ` (list prices of ${report.priceTableDate})` : ""}: ${money(c.base, c.currency)} → ${money(c.head, c.currency)} (${signedMoney(c.delta, c.currency)})`);
        for (const x of c.services) lines.push(`  ${x.service.padEnd(24)} ${money(x.base, c.currency).padStart(12)} → ${money(x.head, c.currency).padStart(12)}  (${signedMoney(x.delta, c.currency)})`);
    } else {
        lines.push(`Monthly cost estimate: not available (${d.costUnavailable ?? "no estimator"})`);
    }
    lines.push("");
    return lines.join("\n");
}

export interface DiffCommandOptions {
    stack: string;
    mode: "preview" | "up";
    json: boolean;
    configFile?: string;
    base: string;
    comment?: string;
}

/**
 * The Mermaid source of a plan's diagram, when this checkout has the diagram
 * module (tools/insights/diagram.ts: `diagramGraph(records, options).graph`,
 * `toMermaid(graph)`). Compact detail keeps large plans within a comment.
 */
export function loadMermaid(dir = __dirname): ((records: ResourceRecord[], stackConfig: Record<string, unknown>) => string) | undefined {
    const file = path.join(dir, "diagram");
    if (![".ts", ".js"].some(ext => fs.existsSync(file + ext))) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as {
        diagramGraph?: (records: ResourceRecord[], options: Record<string, unknown>) => { graph: unknown };
        toMermaid?: (graph: unknown) => string;
    };
    const { diagramGraph, toMermaid } = mod;
    if (typeof diagramGraph !== "function" || typeof toMermaid !== "function") return undefined;
    return (records, stackConfig) => toMermaid(diagramGraph(records, { stackConfig, detail: records.length > 300 ? "compact" : "full" }).graph);
}

/**
 * The `--base` branch of `npm run plan`: plans the base, prints the diff (text
 * or, with --json, the current plan plus `diff`), writes the comment body if
 * asked. Exit code: 1 if the current plan has a mandatory violation or the
 * base could not be planned, else 0.
 */
export async function runDiffCommand(
    opts: DiffCommandOptions,
    head: PreviewResult,
    projectDir: string,
    out: (s: string) => void,
    err: (s: string) => void,
    pending?: Promise<BasePlanResult>,
): Promise<number> {
    const cfg = headStackConfig(projectDir, opts.stack, opts.configFile);
    const report = await runPlanDiff({ projectDir, stack: opts.stack, mode: opts.mode, ref: opts.base, head, headStackConfig: cfg, log: l => err(`${l}\n`), pending });
    if (opts.json) out(JSON.stringify({ ...head, diff: report }, null, 2) + "\n");
    else out(renderDiffText(report));
    if (opts.comment) {
        let mermaid: string | undefined;
        try {
            mermaid = loadMermaid()?.(head.resources, cfg);
        } catch (e) {
            err(`warning: no diagram in the comment: ${e instanceof Error ? e.message : String(e)}\n`);
        }
        const runUrl = process.env.GITHUB_RUN_ID && process.env.GITHUB_SERVER_URL && process.env.GITHUB_REPOSITORY
            ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
            : undefined;
        fs.writeFileSync(opts.comment, renderComment(report, { mermaid, runUrl }));
        err(`comment body written to ${opts.comment}\n`);
    }
    if (report.error) {
        err(`error: ${report.error}\n`);
        return 1;
    }
    return head.violations.some(v => v.enforcementLevel === "mandatory") ? 1 : 0;
}
