import { PolicyResource } from "@pulumi/policy";
import { planGraph, PlanGraph, PlanNode } from "./plan/graph";
import { TAGS, TYPES } from "./plan/types";
import { peek, Unknown, UNKNOWN } from "./values";

/**
 * The stack rules' view of the plan graph (./plan/graph.ts): the same
 * lookups, answered with the resources the engine hands a stack policy, so a
 * rule judges a resource through the engine's unknown-checking proxy (a
 * mandatory rule that reads a value unknown in preview gets the engine's
 * "can't run during preview" advisory). It keeps no index of its own: every
 * lookup is the graph's, node i being resource i. Everything here follows
 * URNs (parent, dependencies, property dependencies), known during preview,
 * or values where they are known.
 */

export { LOAD_BALANCER_TYPES, PLACEMENT_PROPS, TYPES, VPC_TYPES, WORKLOAD_TYPES } from "./plan/types";

/** The type table under the short name the rules of other areas import (./plan/types.ts TYPES). */
export const T = TYPES;

export const TAG_SERVICE = TAGS.service;
export const TAG_KIND = TAGS.endpointKind;
export const TAG_CONSUMER = TAGS.consumer;
export const TAG_PROVIDER = TAGS.provider;
export const TAG_EDGE = TAGS.edge;

export class StackIndex {
    constructor(
        readonly resources: readonly PolicyResource[],
        /** The plan graph of these resources. */
        readonly graph: PlanGraph,
    ) {}

    private res(n: PlanNode): PolicyResource {
        return this.resources[n.index];
    }

    private nodeOf(r: PolicyResource): PlanNode | undefined {
        const n = this.graph.node(r.urn);
        return n && this.resources[n.index] === r ? n : undefined;
    }

    /** The resource with a URN. */
    readonly byUrn = {
        get: (urn: string): PolicyResource | undefined => {
            const n = this.graph.node(urn);
            return n ? this.res(n) : undefined;
        },
    };

    private readonly byTypes = new Map<string, PolicyResource[]>();

    /** Resources of the given types (aliases included); one list per call's types, shared by the rules: not to be changed. */
    ofType(...types: string[]): PolicyResource[] {
        const key = types.join("\n");
        let list = this.byTypes.get(key);
        if (!list) {
            list = this.graph.ofType(...types).map((n) => this.res(n));
            this.byTypes.set(key, list);
        }
        return list;
    }

    /** Resources whose property `prop` (any property when omitted) depends on `urn`. */
    referencing(urn: string, prop?: string): PolicyResource[] {
        return this.graph.referencing(urn, prop).map((n) => this.res(n));
    }

    /** Resources property `prop` of `r` depends on (the engine resolves them for stack policies). */
    propDeps(r: PolicyResource, prop: string): PolicyResource[] {
        return (r.propertyDependencies?.[prop] ?? []).filter((d): d is PolicyResource => !!d);
    }

    /** URNs of the resources that some resource of `type` names through property `prop` (e.g. the VPCs that have a flow log). */
    namedBy(type: string, prop: string): Set<string> {
        return this.graph.namedBy(type, prop);
    }

    /** URNs of the VPCs a resource sits in, following placement property dependencies. */
    vpcsOf(r: PolicyResource): ReadonlySet<string> {
        const n = this.nodeOf(r);
        return n ? this.graph.vpcsOf(n) : new Set();
    }

    /** The `privatelink:service` tag of a resource, or of its nearest tagged ancestor. */
    serviceOf(r: PolicyResource): string | undefined | Unknown {
        return this.graph.serviceOf(this.nodeOf(r));
    }

    /** The microservice owning a VPC: its `privatelink:service` tag. */
    ownerOfVpc(vpcUrn: string): string | undefined | Unknown {
        return this.graph.ownerOfVpc(vpcUrn);
    }

    /** A property, or UNKNOWN, without throwing. */
    prop(r: PolicyResource, ...path: (string | number)[]): unknown {
        return peek(r.props, ...path);
    }
}

const views = new WeakMap<readonly PolicyResource[], StackIndex>();

/** The rules' view of a stack policy's resources, built once per resource list. */
export function stackIndex(resources: PolicyResource[]): StackIndex {
    let idx = views.get(resources);
    if (!idx) {
        idx = new StackIndex(resources, planGraph(resources));
        views.set(resources, idx);
    }
    return idx;
}

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN;
}

export function label(r: { type: string; name: string; urn: string }): string {
    return `${r.type} "${r.name}" (${r.urn})`;
}
