/**
 * The cost estimate as plan text: a short summary (shown by default) and the
 * full table per service (`npm run plan -- --cost`).
 */
import type { CostEstimate, CostLine } from "./cost";
import { money } from "./money";

const usd = (n: number): string => money(n);

function pct(n: number): string {
    return `${(n * 100).toFixed(1)}%`;
}

function pad(s: string, n: number, right = false): string {
    if (s.length >= n) return s;
    return right ? " ".repeat(n - s.length) + s : s + " ".repeat(n - s.length);
}

function qty(n: number): string {
    return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, "");
}

/** Services ordered by total, largest first (then by name). */
function ordered(e: CostEstimate): Array<[string, CostEstimate["services"][string]]> {
    return Object.entries(e.services).sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]));
}

/** The summary: total, fixed part, the mesh endpoints' share, the NAT comparison, the largest services. */
export function renderCostSummary(e: CostEstimate, top = 5): string[] {
    const lines = [`Cost estimate (${e.region}, list prices of ${e.priceTableDate}, ${e.hoursPerMonth} h/month; --cost for every line, docs/cost.md for the assumptions):`];
    lines.push(`    total ${usd(e.total)}/month, of which fixed fees ${usd(e.fixed)}; mesh endpoints ${usd(e.meshEndpoints.monthly)} (${e.meshEndpoints.count} endpoints, ${pct(e.meshEndpointShare)} of the total)`);
    const n = e.natComparison;
    lines.push(`    with a NAT gateway per zone instead of AWS-service endpoints: ${usd(n.total)}/month (${n.delta >= 0 ? "+" : ""}${usd(n.delta)}; hourly fees only)`);
    const list = ordered(e);
    const width = Math.max(...list.slice(0, top).map(([name]) => name.length), 6);
    for (const [name, s] of list.slice(0, top)) lines.push(`    ${pad(name, width)}  ${pad(usd(s.total), 11, true)}  (fixed ${usd(s.fixed)})`);
    if (list.length > top) lines.push(`    … ${list.length - top} more services`);
    for (const note of e.notes) lines.push(`    not priced: ${note}`);
    lines.push("");
    return lines;
}

function lineRows(lines: CostLine[]): string[][] {
    return lines.map(l => [l.item, qty(l.quantity), l.unit, `$${l.unitPrice}`, usd(l.monthly), l.kind]);
}

/** Every line of every service, the shared lines, the NAT comparison per service, and the assumptions. */
export function renderCostTable(e: CostEstimate): string[] {
    const rows: string[][] = [];
    const heads: number[] = [];
    for (const [name, s] of ordered(e)) {
        heads.push(rows.length);
        rows.push([`${name}`, "", "", "", usd(s.total), `fixed ${usd(s.fixed)}`]);
        rows.push(...lineRows(s.lines).map(r => [`  ${r[0]}`, ...r.slice(1)]));
    }
    if (e.shared.length > 0) {
        heads.push(rows.length);
        rows.push(["(shared)", "", "", "", usd(e.shared.reduce((t, l) => t + l.monthly, 0)), ""]);
        rows.push(...lineRows(e.shared).map(r => [`  ${r[0]}`, ...r.slice(1)]));
    }
    const titles = ["Item", "Quantity", "Unit", "Unit price", "Monthly", "Kind"];
    const widths = titles.map((t, i) => Math.max(t.length, ...rows.map(r => r[i].length), i === 4 ? usd(e.total).length : 0));
    const fmt = (r: string[]) => `    ${r.map((c, i) => pad(c, widths[i], i === 1 || i === 3 || i === 4)).join("  ")}`.trimEnd();
    const lines = [`Cost by service (${e.region}, USD per month):`, fmt(titles)];
    for (const r of rows) lines.push(fmt(r));
    lines.push(fmt(["total", "", "", "", usd(e.total), `fixed ${usd(e.fixed)}`]));
    lines.push("");
    lines.push("NAT comparison (a NAT gateway and a public IPv4 address per zone in each VPC that uses AWS-service endpoints, instead of them):");
    const n = e.natComparison;
    const names = Object.keys(n.services).sort();
    const w = Math.max(...names.map(s => s.length), 7) + 2;
    lines.push(`    ${pad("Service", w)}${pad("endpoints", 13, true)}${pad("NAT", 13, true)}${pad("total", 13, true)}`);
    for (const s of names) {
        const x = n.services[s];
        lines.push(`    ${pad(s, w)}${pad(`-${usd(x.endpointsRemoved)}`, 13, true)}${pad(`+${usd(x.natAdded)}`, 13, true)}${pad(usd(x.total), 13, true)}`);
    }
    lines.push(`    ${pad("total", w)}${pad("", 26)}${pad(usd(n.total), 13, true)}  (${n.delta >= 0 ? "+" : ""}${usd(n.delta)} against the endpoints)`);
    lines.push(`    ${n.note}`);
    lines.push("");
    lines.push("Assumptions:");
    for (const a of e.assumptions) lines.push(`    - ${a}`);
    lines.push("");
    return lines;
}

/** The plan text's cost section: the summary, and with `full` the whole table too. */
export function renderCost(e: CostEstimate | undefined, full: boolean): string[] {
    if (!e) return [];
    return full ? [...renderCostSummary(e), ...renderCostTable(e)] : renderCostSummary(e);
}
