/**
 * Text output in the shape `pulumi preview` / `pulumi up` print: a tree of
 * resources indented by parent, then outputs, policy violations, a summary
 * and a count by type.
 */
import type { NeedsInputRecord, PreviewResult, QuotaRow, Violation } from "./index";
import type { ResourceRecord } from "./monitor";
import { SECRET, UNKNOWN } from "./values";

function pad(s: string, n: number): string {
    return s.length >= n ? `${s}  ` : s + " ".repeat(n - s.length);
}

/** Resource rows as [tree-prefixed type, name], depth-first in registration order. */
export function treeRows(resources: ResourceRecord[]): Array<[string, string, ResourceRecord]> {
    const byUrn = new Set(resources.map(r => r.urn));
    const children = new Map<string | null, ResourceRecord[]>();
    for (const r of resources) {
        const parent = r.parent !== null && byUrn.has(r.parent) ? r.parent : null;
        const list = children.get(parent);
        if (list) list.push(r);
        else children.set(parent, [r]);
    }
    const rows: Array<[string, string, ResourceRecord]> = [];
    const walk = (parent: string | null, prefix: string, depth: number) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
            rows.push([prefix + branch + r.type, r.name, r]);
            walk(r.urn, depth === 0 ? "" : prefix + (last ? "   " : "│  "), depth + 1);
        });
    };
    walk(null, "", 0);
    return rows;
}

function formatValue(v: unknown, indent: string): string {
    if (v === UNKNOWN) return "output<string>";
    if (v === SECRET) return SECRET;
    if (typeof v === "string") return JSON.stringify(v);
    const json = JSON.stringify(v, null, 4);
    return json === undefined ? "undefined" : json.split("\n").join(`\n${indent}`);
}

/**
 * The engine's "can't run policy ... during preview" advisories: the pack met a
 * value that is unknown until `up` and could not decide. They say nothing is
 * wrong, only that the preview cannot tell; `--mode up` decides them.
 */
export function isUndecided(v: Violation): boolean {
    return v.unknown === true || (v.enforcementLevel === "advisory" && /^can't run policy .* during preview/.test(v.message));
}

/**
 * Policy findings grouped by enforcement level and rule. Findings the preview
 * could not decide are one line per rule with a count, unless `verbose`.
 */
export function renderViolations(violations: Violation[], resources: ResourceRecord[], opts: { verbose?: boolean } = {}): string[] {
    if (violations.length === 0) return [];
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const groups = new Map<string, Violation[]>();
    const undecided = new Map<string, number>();
    for (const v of violations) {
        if (!opts.verbose && isUndecided(v)) {
            undecided.set(v.policy, (undecided.get(v.policy) ?? 0) + 1);
            continue;
        }
        const key = `${v.enforcementLevel}\u0000${v.policy}`;
        const list = groups.get(key);
        if (list) list.push(v);
        else groups.set(key, [v]);
    }
    const lines = ["Policies:"];
    const order = ["mandatory", "remediate", "advisory", "disabled"];
    const keys = [...groups.keys()].sort((a, b) => {
        const [la, pa] = a.split("\u0000");
        const [lb, pb] = b.split("\u0000");
        return order.indexOf(la) - order.indexOf(lb) || pa.localeCompare(pb);
    });
    for (const key of keys) {
        const list = groups.get(key)!;
        const [level, policy] = key.split("\u0000");
        lines.push(`    ${level === "mandatory" ? "❌" : "⚠️ "} [${level}]  ${policy}  (${list.length})`);
        for (const v of list) {
            const r = v.urn ? byUrn.get(v.urn) : undefined;
            const where = r ? `(${r.type}: ${r.name})` : v.urn ? `(${v.urn})` : "(stack)";
            lines.push(`        - ${where}`);
            for (const l of v.message.split("\n")) lines.push(`          ${l}`);
        }
    }
    if (undecided.size > 0) {
        const total = [...undecided.values()].reduce((a, b) => a + b, 0);
        lines.push(`    ⏳ undecided in a preview: ${total} finding${total === 1 ? "" : "s"} of ${undecided.size} rule${undecided.size === 1 ? "" : "s"} met a value unknown until \`up\` (--mode up decides them; --verbose lists them):`);
        const width = Math.max(...[...undecided.keys()].map(k => k.length));
        for (const [policy, n] of [...undecided].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) lines.push(`        ${pad(policy, width + 2)}${n}`);
    }
    lines.push("");
    return lines;
}

/**
 * Values only the stack's owner can know, each with how to find it and the
 * command that sets it. Not policy violations: the plan goes on without them,
 * and `pulumi up` refuses to start until they are set.
 */
export function renderNeedsInput(items: NeedsInputRecord[]): string[] {
    if (items.length === 0) return [];
    const lines = [`Needs input (${items.length}; planned as absent unless said; pulumi up refuses to start until each is set):`];
    for (const n of items) {
        lines.push(`    - ${n.path}${n.service ? ` (${n.service})` : ""}: ${n.note}`);
        if (n.plannedAs) lines.push(`      planned as: ${n.plannedAs}`);
        lines.push(`      what: ${n.what}`);
        lines.push(`      how to find it: ${n.howToFind}`);
        lines.push(`      set it: ${n.set.join(" && ")}`);
        lines.push(`      or, for none: ${n.none.command}  (${n.none.means})`);
    }
    lines.push("");
    return lines;
}

/**
 * The world the plan started from, and the answers the fake cloud gave
 * without state or source (docs/offline-world.md): each fallback says what
 * was assumed and why; an empty list prints "none".
 */
export function renderOfflineWorld(result: Pick<PreviewResult, "world" | "offlineFallbacks">, startedFrom: string[]): string[] {
    const lines = ["Offline world (the accounts this plan started from; docs/offline-world.md):"];
    lines.push(...(startedFrom.length > 0 ? startedFrom.map(l => `    ${l}`) : ["    nothing: a fresh account"]));
    lines.push("");
    const fallbacks = result.offlineFallbacks ?? [];
    lines.push(`Offline fallbacks (${fallbacks.length === 0 ? "none" : fallbacks.length}: answers the offline cloud gave without state or source):`);
    for (const f of fallbacks) {
        lines.push(`    - ${f.urn ?? f.call} (${f.type})`);
        lines.push(`      assumed: ${f.assumed}`);
        lines.push(`      why: ${f.why}`);
    }
    lines.push("");
    return lines;
}

/**
 * What the project adds to the plan's text, each in its own place in the fixed
 * order (SECTION_ORDER): already rendered lines, plus a one-line summary.
 */
export interface PlanSections {
    /** The other stacks a shard's plan takes to exist (tools/preview/cli.ts renderExistingStacks). */
    stackReferences?: string[];
    frontDoor?: string[];
    reachability?: string[];
    /** The reachability analysis' summary line for the closing summary. */
    reachabilitySummary?: string;
    cost?: string[];
    /** The cost estimate's total for the closing summary, e.g. "$1,984.25/month". */
    costSummary?: string;
}

/** The order of the plan's text sections (documented in tools/preview/README.md; a test holds it). */
export const SECTION_ORDER = [
    "Previewing update",
    "Outputs",
    "Needs input",
    "Stack references",
    "Offline world",
    "Offline fallbacks",
    "Front door",
    "Reachability",
    "Start-up",
    "Policies",
    "Quotas",
    "Cost estimate",
    "Cost by service",
    "NAT comparison",
    "Resources",
    "By type",
    "Summary",
] as const;

export function renderText(result: PreviewResult, sections: PlanSections = {}, opts: { verbose?: boolean } = {}): string {
    const preview = result.mode === "preview";
    const rows = treeRows(result.resources);
    const typeWidth = Math.max(4, ...rows.map(r => r[0].length)) + 2;
    const nameWidth = Math.max(4, ...rows.map(r => r[1].length)) + 2;
    const lines: string[] = [];
    lines.push(`${preview ? "Previewing update" : "Updating"} (${result.stack}):`);
    lines.push(`     ${pad("Type", typeWidth)}${pad("Name", nameWidth)}${preview ? "Plan" : "Status"}`);
    for (const [type, name, r] of rows) {
        const read = r.op === "read";
        const marker = read ? ">-" : "+ ";
        const plan = read ? (preview ? "read" : "read") : preview ? "create" : "created";
        lines.push(` ${marker}  ${pad(type, typeWidth)}${pad(name, nameWidth)}${plan}`);
    }
    lines.push("");
    const outputKeys = Object.keys(result.outputs);
    if (outputKeys.length > 0) {
        lines.push("Outputs:");
        const width = Math.max(...outputKeys.map(k => k.length)) + 2;
        for (const k of outputKeys) lines.push(`    ${pad(`${k}:`, width)}${formatValue(result.outputs[k], "    ")}`);
        lines.push("");
    }
    lines.push(...renderNeedsInput(result.needsInput ?? []));
    lines.push(...(sections.stackReferences ?? []));
    if (result.startedFrom) lines.push(...renderOfflineWorld(result, result.startedFrom));
    lines.push(...(sections.frontDoor ?? []));
    lines.push(...(sections.reachability ?? []));
    lines.push(...renderViolations(result.violations, result.resources, opts));
    lines.push(...renderQuotas(result.quotas ?? []));
    lines.push(...(sections.cost ?? []));
    const creates = result.resources.filter(r => r.op === "create").length;
    const reads = result.resources.length - creates;
    lines.push("Resources:");
    lines.push(`    + ${creates} ${preview ? "to create" : "created"}`);
    if (reads > 0) lines.push(`    >-${reads} ${preview ? "to read" : "read"}`);
    lines.push("");
    lines.push("By type:");
    const byType = Object.entries(result.summary.byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const countWidth = Math.max(...byType.map(([, n]) => String(n).length), 1);
    for (const [type, n] of byType) lines.push(`    ${String(n).padStart(countWidth)}  ${type}`);
    lines.push("");
    lines.push(...renderSummary(result, sections));
    lines.push(policySummary(result.violations));
    return lines.join("\n") + "\n";
}

/**
 * The closing summary, one screen: the verdict, what the stack still needs,
 * quotas short, reachability and cost. The policy line follows it.
 */
export function renderSummary(result: PreviewResult, sections: PlanSections = {}): string[] {
    const mandatory = result.violations.filter(v => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate");
    const rules = [...new Set(mandatory.map(v => v.policy))].sort();
    const rows: Array<[string, string]> = [];
    rows.push(["verdict", mandatory.length === 0
        ? `clean: no mandatory violation${result.mode === "preview" ? " (--mode up decides what a preview cannot)" : ""}`
        : `❌ blocked by ${rules.join(", ")} (see "Policies")`]);
    const needs = result.needsInput ?? [];
    rows.push(["needs input", needs.length === 0 ? "nothing" : `${needs.length} value${needs.length === 1 ? "" : "s"} only you can know (see "Needs input"); pulumi up refuses to start until set`]);
    const short = (result.quotas ?? []).filter(q => !q.ok);
    if (result.quotas !== undefined) {
        rows.push(["quotas", short.length === 0
            ? `${result.quotas.length} counted, none short`
            : `${short.length} short: ${short.map(q => `${q.code} (${q.name}) needs ${fmt(q.need)}, limit ${fmt(q.limit)}`).join("; ")}`]);
    }
    if (result.offlineFallbacks !== undefined) {
        const n = result.offlineFallbacks.length;
        rows.push(["offline fallbacks", n === 0 ? "none: every answer came from the world or a cited source" : `${n} answer${n === 1 ? "" : "s"} the offline cloud assumed (see "Offline fallbacks")`]);
    }
    if (sections.reachabilitySummary) rows.push(["reachability", sections.reachabilitySummary]);
    if (sections.costSummary) rows.push(["cost", sections.costSummary]);
    const width = Math.max(...rows.map(r => r[0].length)) + 2;
    return [`Summary (${result.stack}, ${result.mode}):`, ...rows.map(([k, v]) => `    ${pad(`${k}:`, width)}${v}`), ""];
}

/**
 * The closing line: how many violations block (mandatory), how many only warn,
 * and how many a preview could not decide (values unknown until `up`).
 */
export function policySummary(violations: Violation[]): string {
    const mandatory = violations.filter(v => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate").length;
    const advisory = violations.filter(v => v.enforcementLevel === "advisory" && !isUndecided(v)).length;
    const undecided = violations.filter(isUndecided).length;
    return `${mandatory} mandatory ${mandatory === 1 ? "violation" : "violations"}, ${advisory} advisory` +
        (undecided > 0 ? `, ${undecided} undecided until up` : "");
}

function fmt(n: number): string {
    return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, "");
}

/**
 * The quota table: each quota's name and code, what the plan needs (min–max
 * where scaling makes them differ; the VPC or resource for per-VPC and
 * per-interface quotas), the limit (AWS default, or the declared value, which
 * nothing offline can verify), the status, and for every quota the stack
 * needs above its default the command that raises it.
 */
export function renderQuotas(rows: QuotaRow[]): string[] {
    if (rows.length === 0) return [];
    const needs = rows.map(r => `${r.min !== undefined ? `${fmt(r.min)}–` : ""}${fmt(r.need)}${r.where ? ` (${r.where})` : ""}`);
    const limits = rows.map(r => (r.declared !== undefined ? `${fmt(r.limit)} (declared, not verifiable offline)` : `${fmt(r.limit)} (AWS default)`));
    const status = rows.map(r => (r.ok ? (r.unknown.length > 0 ? `${r.status}, so far (${r.unknown.length} unknown until up)` : r.status) : `❌ ${r.status}`));
    const w = (xs: string[], title: string) => Math.max(title.length, ...xs.map(x => x.length)) + 2;
    const quota = rows.map(r => `${r.serviceCode}: ${r.name}`);
    const wq = w(quota, "Quota");
    const wc = w(rows.map(r => r.code), "Code");
    const wn = w(needs, "Needs");
    const wl = w(limits, "Limit");
    const lines = [`Quotas (${rows[0].region}; needs counted from this plan, limits: the AWS default or platform.quotas):`];
    lines.push(`    ${pad("Quota", wq)}${pad("Code", wc)}${pad("Needs", wn)}${pad("Limit", wl)}Status`);
    rows.forEach((r, i) => {
        lines.push(`    ${pad(quota[i], wq)}${pad(r.code, wc)}${pad(needs[i], wn)}${pad(limits[i], wl)}${status[i]}`);
        if (r.need > r.default) lines.push(`        raise: ${r.raise}`);
        for (const u of r.uncounted) lines.push(`        not counted: ${u}`);
    });
    lines.push("    Raise a quota before the first `pulumi up`, then declare the raised value in the stack file: privatelink-platform:platform → quotas: { <code>: <value> }.");
    lines.push("    Only AWS knows the value applied to the account: aws service-quotas get-service-quota --service-code <service> --quota-code <code>");
    lines.push("");
    return lines;
}
