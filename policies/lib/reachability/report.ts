import { EdgeResult, Reachability, StartupResult } from "./analyze";

/** One matrix cell: consumer (row) to provider (column). */
export type Cell = "reach" | "blocked" | "partial" | "open" | "not declared" | "self";

/** What `npm run plan` prints and `--json` carries under `reachability`. */
export interface ReachabilityReport extends Reachability {
    /** matrix[consumer][provider]. */
    matrix: Record<string, Record<string, Cell>>;
    summary: { declared: number; reach: number; blocked: number; partial: number; undeclaredReachable: number; outside: number; startupChecks: number; startupBlocked: number };
}

export function reachabilityReport(r: Reachability): ReachabilityReport {
    const matrix: Record<string, Record<string, Cell>> = {};
    for (const a of r.services) {
        matrix[a] = {};
        for (const b of r.services) matrix[a][b] = a === b ? "self" : "not declared";
    }
    const set = (e: EdgeResult, cell: Cell) => {
        if (matrix[e.consumer]?.[e.provider] !== undefined) matrix[e.consumer][e.provider] = cell;
    };
    for (const e of r.edges) set(e, e.status);
    for (const e of r.undeclared) set(e, "open");
    return {
        ...r,
        matrix,
        summary: {
            declared: r.edges.length,
            reach: r.edges.filter((e) => e.status === "reach").length,
            blocked: r.edges.filter((e) => e.status === "blocked").length,
            partial: r.edges.filter((e) => e.status === "partial").length,
            undeclaredReachable: r.undeclared.length,
            outside: r.outside.length,
            startupChecks: r.startup.length,
            startupBlocked: r.startup.filter((s) => s.status === "blocked").length,
        },
    };
}

const SHOWN: Record<Cell, string> = { reach: "reach", blocked: "BLOCKED", partial: "partial", open: "OPEN!", "not declared": "·", self: "-" };

/** The text section of `npm run plan`. */
export function renderReachability(r: ReachabilityReport): string[] {
    const L: string[] = ["Reachability (consumer rows -> provider columns; reach / BLOCKED / OPEN! = reachable but not declared / · = not declared, no path):"];
    const names = r.services;
    const w = Math.max(8, ...names.map((n) => n.length)) + 2;
    const cw = Math.max(8, ...names.map((n) => n.length)) + 1;
    L.push("    " + " ".repeat(w) + names.map((n) => n.padEnd(cw)).join(""));
    for (const a of names) L.push("    " + a.padEnd(w) + names.map((b) => SHOWN[r.matrix[a][b]].padEnd(cw)).join(""));
    const s = r.summary;
    L.push(`    ${s.reach}/${s.declared} declared edges reach, ${s.blocked} blocked, ${s.partial} undecided here; ${s.undeclaredReachable} undeclared pairs reachable; ${s.outside} paths out of the platform`);
    for (const e of [...r.edges.filter((x) => x.status !== "reach"), ...r.undeclared]) L.push(`    ${e.status === "reach" ? "OPEN" : e.status.toUpperCase()}: ${e.reason}`);
    for (const o of r.outside) L.push(`    OUT: ${o.reason}`);
    // Declared external services: leaving the platform by design (docs/saas.md), shown, not counted as a finding.
    for (const o of r.external ?? []) L.push(`    EXTERNAL (declared): ${o.reason}`);
    L.push("");
    L.push("Start-up (per workload: what its runtime reaches before serving):");
    const byWorkload = new Map<string, StartupResult[]>();
    for (const x of r.startup) {
        const k = `${x.service} (${x.runtime}, ${x.workload})`;
        byWorkload.set(k, [...(byWorkload.get(k) ?? []), x]);
    }
    const kw = Math.max(10, ...[...byWorkload.keys()].map((k) => k.length)) + 2;
    for (const [k, list] of byWorkload) {
        const cells = list.map((x) => (x.status === "ok" ? x.dependency : `${x.dependency} BLOCKED`)).join(", ");
        L.push(`    ${k.padEnd(kw)}${cells}`);
    }
    for (const x of r.startup.filter((y) => y.status === "blocked")) L.push(`    BLOCKED: ${x.reason}`);
    L.push(`    ${s.startupChecks - s.startupBlocked}/${s.startupChecks} start-up checks pass`);
    L.push("");
    return L;
}
