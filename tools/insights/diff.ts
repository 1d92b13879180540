/**
 * The plan diff: what a change to the program or the catalog does to a stack,
 * computed from two offline plans (the base revision's and the current one's)
 * by resource URN.
 *
 * Definitions (docs/plan-diff.md):
 * - added / removed: a URN in one plan only, and not matched as moved.
 * - changed: same URN (or a moved pair), different inputs. Each changed input
 *   is listed by path. A change is a *replacement* only where the project
 *   knows it (./replacements.ts: a table with sources, and `replaceOnChanges`).
 *   A value unknown in either plan (`--mode preview`) is never claimed as
 *   changed; it is counted under `unknown`.
 * - moved: a resource whose URN differs between the plans but that is the
 *   same resource to the engine or by its logical role:
 *     `alias`      the current resource declares an alias that is the base URN
 *                  (directly, as an alias spec, or inherited from an aliased
 *                  parent): Pulumi updates it in place;
 *     `reparented` same type and logical name, exactly one on each side, no
 *                  alias: Pulumi deletes the old and creates the new, so it is
 *                  reported as a move that replaces.
 * - policy findings: keyed by (policy, resource, message); a moved resource's
 *   findings follow it. Findings that only say a value is unknown in preview
 *   are counted, not listed.
 * - cost: the estimator's monthly total and per-service totals for each plan
 *   (tools/insights/cost.ts), and their difference.
 */
import type { ResourceRecord, Violation } from "../preview";
import { engineUrn } from "../preview/monitor";
import { UNKNOWN } from "../preview/values";
import { PlanGraph, recordGraph } from "../../policies/lib/plan/graph";
import { TAGS } from "../../policies/lib/plan/types";
import { ReplacementReason, replacementReasons } from "./replacements";

export interface PlanSnapshot {
    stack: string;
    project: string;
    resources: ResourceRecord[];
    violations: Violation[];
}

export interface ResourceRef {
    urn: string;
    type: string;
    name: string;
    /** The service the resource belongs to (its `privatelink:service` tag), if any. */
    service?: string;
}

export interface PropertyChange {
    path: string;
    before: unknown;
    after: unknown;
}

export interface ResourceChange extends ResourceRef {
    /** "replace" when a known reason says so (see `replacedBecause`), else "update". */
    action: "update" | "replace";
    properties: PropertyChange[];
    replacedBecause: ReplacementReason[];
    /** Paths whose value is unknown in one of the plans (preview mode): not claimed either way. */
    unknown: string[];
    /** Set when the resource moved: its URN in the base plan. */
    movedFrom?: string;
}

export interface MovedResource {
    from: string;
    to: string;
    type: string;
    name: string;
    how: "alias" | "reparented";
    /** What `pulumi up` does with it. */
    effect: "update in place" | "delete and create";
}

export interface FindingRef {
    policy: string;
    enforcementLevel: string;
    urn: string | null;
    message: string;
}

export interface CostTotals {
    currency: string;
    total: number;
    services: Record<string, number>;
}

export interface CostDelta {
    currency: string;
    base: number;
    head: number;
    delta: number;
    /** Per service, only where something changed; sorted by the size of the change. */
    services: Array<{ service: string; base: number; head: number; delta: number }>;
}

export interface PlanDiff {
    stack: string;
    base: { resources: number; findings: number };
    head: { resources: number; findings: number };
    added: ResourceRef[];
    removed: ResourceRef[];
    changed: ResourceChange[];
    moved: MovedResource[];
    services: { added: string[]; removed: string[]; changed: string[] };
    edges: { added: string[]; removed: string[] };
    findings: { new: FindingRef[]; resolved: FindingRef[]; unknownInPreview: { base: number; head: number } };
    cost?: CostDelta;
    /** Why there is no cost delta, when there is none. */
    costUnavailable?: string;
    summary: {
        added: number;
        removed: number;
        changed: number;
        replaced: number;
        moved: number;
        newFindings: number;
        resolvedFindings: number;
        newMandatory: number;
    };
}

/** The service each resource belongs to (the plan graph's: its tag, else its nearest tagged ancestor's); a component's is its children's when they all agree. */
function serviceIndex(g: PlanGraph): Map<string, string> {
    const out = new Map<string, string>();
    for (const n of g.nodes) {
        const s = g.serviceName(n);
        if (s) out.set(n.urn, s);
    }
    const kids = new Map<string, Set<string>>();
    for (const n of g.nodes) {
        const s = out.get(n.urn);
        if (s && n.parent) {
            const set = kids.get(n.parent) ?? new Set<string>();
            set.add(s);
            kids.set(n.parent, set);
        }
    }
    for (const [urn, set] of kids) if (!out.has(urn) && set.size === 1) out.set(urn, [...set][0]);
    return out;
}

function ref(r: ResourceRecord, services: Map<string, string>): ResourceRef {
    const service = services.get(r.urn);
    return service ? { urn: r.urn, type: r.type, name: r.name, service } : { urn: r.urn, type: r.type, name: r.name };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function hasUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(hasUnknown);
    if (isPlainObject(v)) return Object.values(v).some(hasUnknown);
    return false;
}

/** A JSON document held in a string (policy documents, container definitions), parsed for a finer diff. */
function parsedJson(v: unknown): unknown {
    if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

/** A list whose entries are objects with distinct string `name`s, by name; else undefined. */
function byName(list: unknown[]): Map<string, unknown> | undefined {
    if (list.length === 0) return undefined;
    const out = new Map<string, unknown>();
    for (const e of list) {
        if (!isPlainObject(e) || typeof e.name !== "string" || e.name === UNKNOWN || out.has(e.name)) return undefined;
        out.set(e.name, e);
    }
    return out;
}

/**
 * The leaf paths where two input values differ. Objects and same-length
 * arrays are compared element by element, lists of named entries by name
 * (`environment[name=DB_URL].value`); other arrays of different lengths, and
 * scalars, are one change at their path. JSON held in strings is compared as
 * JSON. Paths whose value is unknown on either side go to `unknown`.
 */
export function diffValues(before: unknown, after: unknown, path = "", out: { changes: PropertyChange[]; unknown: string[] } = { changes: [], unknown: [] }): { changes: PropertyChange[]; unknown: string[] } {
    if (before === after) return out;
    if (before === UNKNOWN || after === UNKNOWN) {
        out.unknown.push(path);
        return out;
    }
    const jb = parsedJson(before);
    const ja = parsedJson(after);
    if (jb !== undefined && ja !== undefined) return diffValues(jb, ja, path, out);
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        for (const k of keys) diffValues(before[k], after[k], path ? `${path}.${k}` : k, out);
        return out;
    }
    const kb = Array.isArray(before) ? byName(before) : undefined;
    const ka = Array.isArray(after) ? byName(after) : undefined;
    if (kb && ka) {
        // Lists of named entries (environment variables, port mappings by name): matched by name, not position.
        for (const n of [...new Set([...kb.keys(), ...ka.keys()])].sort()) diffValues(kb.get(n), ka.get(n), `${path}[name=${n}]`, out);
        return out;
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        before.forEach((b, i) => diffValues(b, after[i], `${path}[${i}]`, out));
        return out;
    }
    if (JSON.stringify(before) === JSON.stringify(after)) return out;
    if (hasUnknown(before) || hasUnknown(after)) {
        out.unknown.push(path);
        return out;
    }
    out.changes.push({ path, before, after });
    return out;
}

/** The URNs an alias of `r` names (alias URNs, and alias specs resolved the way the engine does). */
export function aliasUrns(r: ResourceRecord, stack: string, project: string): string[] {
    const out: string[] = [];
    for (const a of r.options?.aliases ?? []) {
        if (typeof a === "string") {
            out.push(a);
            continue;
        }
        const spec = a as { name?: string; type?: string; stack?: string; project?: string; parentUrn?: string; noParent?: boolean };
        const parent = spec.noParent ? null : spec.parentUrn ?? r.parent;
        out.push(engineUrn(spec.stack ?? stack, spec.project ?? project, parent, spec.type ?? r.type, spec.name ?? r.name));
    }
    return out;
}

function findingKey(v: { policy: string; urn: string | null; message: string }, urn: string | null = v.urn): string {
    return `${v.policy}\u0000${urn ?? ""}\u0000${v.message}`;
}

function isUnknownFinding(v: Violation): boolean {
    return (v as Violation & { unknown?: boolean }).unknown === true || /can't be known during preview/.test(v.message);
}

function findingRef(v: Violation): FindingRef {
    return { policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn, message: v.message };
}

/** Every value of a tag in a plan. */
function tagSet(g: PlanGraph, key: string): Set<string> {
    const s = new Set<string>();
    for (const n of g.nodes) {
        const v = g.tag(n, key);
        if (typeof v === "string" && v !== "") s.add(v);
    }
    return s;
}

const sorted = (s: Iterable<string>) => [...s].sort();

/**
 * Rewrites absolute paths under `root` (file assets and archives, which the
 * program names by path) to `<project>/…`, so two checkouts at different
 * places compare equal. Asset contents are not compared.
 */
export function relativePaths(v: unknown, root: string | undefined): unknown {
    if (!root) return v;
    if (typeof v === "string") return v === root || v.startsWith(root + "/") ? "<project>" + v.slice(root.length) : v;
    if (Array.isArray(v)) return v.map(x => relativePaths(x, root));
    if (isPlainObject(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = relativePaths(x, root);
        return out;
    }
    return v;
}

/**
 * Diffs two plans of one stack. `cost` adds the cost delta (see costDelta);
 * `roots` are the project directories the two plans ran in (see relativePaths).
 */
export function diffPlans(
    base: PlanSnapshot,
    head: PlanSnapshot,
    cost?: { base: CostTotals; head: CostTotals } | { unavailable: string },
    roots: { base?: string; head?: string } = {},
): PlanDiff {
    const baseGraph = recordGraph(base.resources);
    const headGraph = recordGraph(head.resources);
    const baseBy = { has: (urn: string) => !!baseGraph.node(urn), get: (urn: string) => baseGraph.node(urn)?.record as ResourceRecord | undefined };
    const headBy = { has: (urn: string) => !!headGraph.node(urn) };
    const baseServices = serviceIndex(baseGraph);
    const headServices = serviceIndex(headGraph);

    // Moves: aliases first (inherited through aliased parents), then same type+name.
    const moved: MovedResource[] = [];
    const movedTo = new Map<string, string>(); // head URN -> base URN
    const movedFrom = new Set<string>();
    for (const r of head.resources) {
        if (baseBy.has(r.urn)) continue;
        const candidates = aliasUrns(r, head.stack, head.project);
        const parentFrom = r.parent ? movedTo.get(r.parent) : undefined;
        if (parentFrom) candidates.push(engineUrn(head.stack, head.project, parentFrom, r.type, r.name));
        const from = candidates.find(u => baseBy.has(u) && !headBy.has(u) && !movedFrom.has(u));
        if (from) {
            movedTo.set(r.urn, from);
            movedFrom.add(from);
            moved.push({ from, to: r.urn, type: r.type, name: r.name, how: "alias", effect: "update in place" });
        }
    }
    /** Resources not yet matched, by type and logical name. */
    const byTypeAndName = (resources: ResourceRecord[], matched: (r: ResourceRecord) => boolean) => {
        const out = new Map<string, ResourceRecord[]>();
        for (const r of resources) {
            if (matched(r)) continue;
            const k = `${r.type}\u0000${r.name}`;
            out.set(k, [...(out.get(k) ?? []), r]);
        }
        return out;
    };
    const onlyBase = byTypeAndName(base.resources, r => headBy.has(r.urn) || movedFrom.has(r.urn));
    const onlyHead = byTypeAndName(head.resources, r => baseBy.has(r.urn) || movedTo.has(r.urn));
    for (const [k, hs] of onlyHead) {
        const bs = onlyBase.get(k);
        if (hs.length !== 1 || bs?.length !== 1) continue;
        movedTo.set(hs[0].urn, bs[0].urn);
        movedFrom.add(bs[0].urn);
        moved.push({ from: bs[0].urn, to: hs[0].urn, type: hs[0].type, name: hs[0].name, how: "reparented", effect: "delete and create" });
    }

    const added = head.resources.filter(r => !baseBy.has(r.urn) && !movedTo.has(r.urn)).map(r => ref(r, headServices));
    const removed = base.resources.filter(r => !headBy.has(r.urn) && !movedFrom.has(r.urn)).map(r => ref(r, baseServices));

    const changed: ResourceChange[] = [];
    for (const r of head.resources) {
        const fromUrn = baseBy.has(r.urn) ? r.urn : movedTo.get(r.urn);
        if (!fromUrn) continue;
        const b = baseBy.get(fromUrn)!;
        const { changes, unknown } = diffValues(relativePaths(b.inputs ?? {}, roots.base), relativePaths(r.inputs ?? {}, roots.head));
        const isMove = fromUrn !== r.urn;
        if (changes.length === 0 && !isMove) continue;
        const replacedBecause = replacementReasons(r.type, changes.map(c => c.path), r.options?.replaceOnChanges ?? []);
        const reparented = moved.find(m => m.to === r.urn)?.how === "reparented";
        if (changes.length === 0 && !reparented) continue; // a pure aliased move is listed under `moved` only
        const c: ResourceChange = {
            ...ref(r, headServices),
            action: replacedBecause.length > 0 || reparented ? "replace" : "update",
            properties: changes,
            replacedBecause,
            unknown,
        };
        if (isMove) c.movedFrom = fromUrn;
        changed.push(c);
    }

    // Services and edges, from the program's tags.
    const bs = tagSet(baseGraph, TAGS.service);
    const hs = tagSet(headGraph, TAGS.service);
    const be = tagSet(baseGraph, TAGS.edge);
    const he = tagSet(headGraph, TAGS.edge);
    const touched = new Set<string>();
    for (const c of changed) if (c.service && bs.has(c.service) && hs.has(c.service)) touched.add(c.service);
    for (const r of [...added, ...removed]) if (r.service && bs.has(r.service) && hs.has(r.service)) touched.add(r.service);

    // Policy findings; a moved resource's findings follow it.
    const baseKeys = new Set(base.violations.filter(v => !isUnknownFinding(v)).map(v => findingKey(v)));
    const headKeysAsBase = new Set(
        head.violations.filter(v => !isUnknownFinding(v)).map(v => findingKey(v, v.urn ? movedTo.get(v.urn) ?? v.urn : null)),
    );
    const newFindings = head.violations
        .filter(v => !isUnknownFinding(v) && !baseKeys.has(findingKey(v, v.urn ? movedTo.get(v.urn) ?? v.urn : null)))
        .map(findingRef);
    const resolved = base.violations.filter(v => !isUnknownFinding(v) && !headKeysAsBase.has(findingKey(v))).map(findingRef);

    const diff: PlanDiff = {
        stack: head.stack,
        base: { resources: base.resources.length, findings: base.violations.length },
        head: { resources: head.resources.length, findings: head.violations.length },
        added,
        removed,
        changed,
        moved,
        services: { added: sorted([...hs].filter(s => !bs.has(s))), removed: sorted([...bs].filter(s => !hs.has(s))), changed: sorted(touched) },
        edges: { added: sorted([...he].filter(e => !be.has(e))), removed: sorted([...be].filter(e => !he.has(e))) },
        findings: {
            new: newFindings,
            resolved,
            unknownInPreview: { base: base.violations.filter(isUnknownFinding).length, head: head.violations.filter(isUnknownFinding).length },
        },
        summary: {
            added: added.length,
            removed: removed.length,
            changed: changed.length,
            replaced: changed.filter(c => c.action === "replace").length,
            moved: moved.length,
            newFindings: newFindings.length,
            resolvedFindings: resolved.length,
            newMandatory: newFindings.filter(f => f.enforcementLevel === "mandatory").length,
        },
    };
    if (cost && "unavailable" in cost) diff.costUnavailable = cost.unavailable;
    else if (cost) diff.cost = costDelta(cost.base, cost.head);
    return diff;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** The difference of two cost estimates, in total and per service (services that changed only). */
export function costDelta(base: CostTotals, head: CostTotals): CostDelta {
    const names = new Set([...Object.keys(base.services), ...Object.keys(head.services)]);
    const services = [...names]
        .map(service => {
            const b = base.services[service] ?? 0;
            const h = head.services[service] ?? 0;
            return { service, base: cents(b), head: cents(h), delta: cents(cents(h) - cents(b)) };
        })
        .filter(s => s.delta !== 0)
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.service.localeCompare(b.service));
    return { currency: head.currency, base: cents(base.total), head: cents(head.total), delta: cents(cents(head.total) - cents(base.total)), services };
}
