/**
 * The order in which the Pulumi engine (pkg/resource/deploy at v3.248.0)
 * applies an update, given the previous plan's records (the state) and the
 * new plan's (the program's registrations). The platform depends on this
 * order where AWS snapshots something mid-update: an API Gateway deployment
 * snapshots the API as it is when the deployment is created.
 *
 * What the engine does, and where (pulumi/pulumi at tag v3.248.0):
 * - Registrations are handled as they arrive, in registration order: a new
 *   URN is a create, a changed one an update or a replacement
 *   (`step_generator.go`, `generateSteps` / `continueStepsFromDiff`).
 * - A replacement creates the new resource first and deletes the old one
 *   only "after all creates/updates finish", unless the provider or the
 *   `deleteBeforeReplace` option asks for delete-before-create
 *   (`continueStepsFromDiff`: "We have two approaches to performing
 *   replacements"). Delete-before-create first deletes, in reverse
 *   dependency order, the old resources that would be replaced with it: its
 *   dependents whose inputs from it force a replacement
 *   (`calculateDependentReplacements`) and every resource, in the new
 *   program or in the old state, whose `replaceWith` option names it
 *   (`findResourcesReplacedWith` scans `news` and `olds`). A resource so
 *   deleted and registered again later is re-created ("re-create replaced
 *   resource deleted due to dependent DBR", `ContinueStepsFromDiff`).
 * - Resources of the old state that the program no longer registers are
 *   deleted only once the program has finished ("we're done processing
 *   source events and we should begin processing deletes",
 *   `deployment_executor.go` `Execute`; `performPostSteps` →
 *   `GenerateDeletes`), together with the old halves of create-before-delete
 *   replacements, in reverse dependency order (`ScheduleDeletes`: antichains
 *   of resources none of whose condemned dependencies remain, reversed).
 *
 * Which changes replace a resource is what `tools/insights/replacements.ts`
 * knows (ForceNew properties with their source), the resource's
 * `replaceOnChanges`, and its `replacementTrigger` option. Aliases are not
 * followed: a resource whose URN moved is a delete and a create here.
 */
import { diffValues } from "../insights/diff";
import { replacementReasons } from "../insights/replacements";
import type { ResourceRecord } from "./monitor";

export type StepOp =
    /** A new URN. */
    | "create"
    | "update"
    | "same"
    /** The new half of a replacement (create-before-delete, or after a delete-before-create). */
    | "create-replacement"
    /** The old half of a delete-before-create replacement (itself or a resource replaced with it). */
    | "delete-before-replace"
    /** The old half of a create-before-delete replacement, after the program finished. */
    | "delete-replaced"
    /** A resource the program no longer registers, after the program finished. */
    | "delete";

export interface EngineStep {
    op: StepOp;
    urn: string;
    type: string;
    /** The registration (absent for deletes of removed resources). */
    next?: ResourceRecord;
    /** The state (absent for creates). */
    prev?: ResourceRecord;
    /** Why a replacement, when it is one. */
    why?: string;
}

/** Whether a changed resource is replaced, and why (undefined: updated in place). */
export function replaceReason(prev: ResourceRecord, next: ResourceRecord): string | undefined {
    const before = JSON.stringify(prev.options.replacementTrigger ?? null);
    const after = JSON.stringify(next.options.replacementTrigger ?? null);
    if (before !== after) return "replacementTrigger changed";
    const d = diffValues(prev.inputs, next.inputs);
    const paths = [...d.changes.map(c => c.path), ...d.unknown];
    const reasons = replacementReasons(next.type, paths, next.options.replaceOnChanges);
    return reasons.length > 0 ? reasons.map(r => `${r.property} (${r.source})`).join(", ") : undefined;
}

function changed(prev: ResourceRecord, next: ResourceRecord): boolean {
    const d = diffValues(prev.inputs, next.inputs);
    return d.changes.length > 0 || d.unknown.length > 0;
}

/** Every URN a record depends on: dependencies, property dependencies, parent, provider (the engine's dependency graph). */
function dependenciesOf(r: ResourceRecord): string[] {
    return [
        ...r.dependencies,
        ...Object.values(r.propertyDependencies).flat(),
        ...(r.parent ? [r.parent] : []),
        ...(r.options.provider ? [r.options.provider] : []),
    ];
}

/** The steps of updating from `prev` to `next`, in the order the engine applies them. */
export function engineSteps(prev: readonly ResourceRecord[], next: readonly ResourceRecord[]): EngineStep[] {
    const olds = new Map(prev.map(r => [r.urn, r] as const));
    const registered = new Set<string>();
    /** Old resources already deleted by a delete-before-create chain. */
    const deleted = new Set<string>();
    const deleteAtEnd: ResourceRecord[] = [];
    const steps: EngineStep[] = [];

    /** Old resources to delete with `root` when it is replaced delete-before-create, in dependency order. */
    const chainOf = (root: ResourceRecord): ResourceRecord[] => {
        const replaceSet = new Set([root.urn]);
        const chain: ResourceRecord[] = [];
        // calculateDependentReplacements: old dependents, not yet registered,
        // whose inputs from a resource in the set force their replacement.
        for (const d of prev) {
            if (registered.has(d.urn) || d.urn === root.urn || !d.custom) continue;
            const props = Object.entries(d.propertyDependencies).filter(([, us]) => us.some(u => replaceSet.has(u))).map(([k]) => k);
            if (props.length > 0 && replacementReasons(d.type, props, d.options.replaceOnChanges).length > 0) {
                replaceSet.add(d.urn);
                chain.push(d);
            }
        }
        // findResourcesReplacedWith: new registrations, then the old state.
        for (const d of [...next.filter(r => registered.has(r.urn)), ...prev]) {
            if (d.options.replaceWith?.includes(root.urn) && !chain.some(c => c.urn === d.urn) && olds.has(d.urn)) chain.push(olds.get(d.urn)!);
        }
        return chain;
    };

    for (const r of next) {
        registered.add(r.urn);
        const old = olds.get(r.urn);
        if (!old) {
            steps.push({ op: "create", urn: r.urn, type: r.type, next: r });
            continue;
        }
        if (deleted.has(r.urn)) {
            steps.push({ op: "create-replacement", urn: r.urn, type: r.type, next: r, prev: old, why: "deleted with a resource replaced delete-before-create" });
            continue;
        }
        const why = r.custom ? replaceReason(old, r) : undefined;
        if (!why) {
            steps.push({ op: changed(old, r) ? "update" : "same", urn: r.urn, type: r.type, next: r, prev: old });
            continue;
        }
        if (r.options.deleteBeforeReplace) {
            // Deletions in reverse dependency order: the chain is in dependency order.
            for (const d of chainOf(old).reverse()) {
                if (deleted.has(d.urn)) continue;
                deleted.add(d.urn);
                steps.push({ op: "delete-before-replace", urn: d.urn, type: d.type, prev: d, why: `replaced with ${old.name}` });
            }
            deleted.add(old.urn);
            steps.push({ op: "delete-before-replace", urn: old.urn, type: old.type, prev: old, why });
            steps.push({ op: "create-replacement", urn: r.urn, type: r.type, next: r, prev: old, why });
            continue;
        }
        steps.push({ op: "create-replacement", urn: r.urn, type: r.type, next: r, prev: old, why });
        deleteAtEnd.push(old);
    }

    // performPostSteps: removed resources and the old halves of replacements, scheduled by ScheduleDeletes.
    const condemned = new Map<string, { r: ResourceRecord; op: StepOp }>();
    for (const r of deleteAtEnd) condemned.set(r.urn, { r, op: "delete-replaced" });
    for (const r of prev) {
        if (!registered.has(r.urn) && !deleted.has(r.urn)) condemned.set(r.urn, { r, op: "delete" });
    }
    const antichains: { r: ResourceRecord; op: StepOp }[][] = [];
    while (condemned.size > 0) {
        const round = [...condemned.values()].filter(c => !dependenciesOf(c.r).some(u => u !== c.r.urn && condemned.has(u)));
        if (round.length === 0) throw new Error(`engineSteps: a dependency cycle among ${[...condemned.keys()].join(", ")}`);
        for (const c of round) condemned.delete(c.r.urn);
        antichains.push(round);
    }
    for (const round of antichains.reverse()) {
        for (const c of round) steps.push({ op: c.op, urn: c.r.urn, type: c.r.type, prev: c.r });
    }
    return steps;
}
