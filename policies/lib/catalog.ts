import { PolicyResource } from "@pulumi/policy";
import { LOAD_BALANCER_TYPES, StackIndex, T } from "./graph";
import { configValue } from "./stack-config";
import { FRONT_DOOR_CONSUMER } from "./front-door";
import { asArray, asStrings, get, isRecord, str, Unknown, UNKNOWN } from "./values";

/**
 * The service catalog as the pack reads it from the stack's configuration
 * (`privatelink-platform:services`, `privatelink-platform:platform`), which the
 * engine passes to policy packs in PULUMI_CONFIG (lib/stack-config): known in
 * the very first preview, unlike a stack output.
 */
export interface CatalogService {
    name: string;
    runtime: string;
    consumes: string[];
    allowedPrincipals: string[];
}

export interface CatalogView {
    services: Map<string, CatalogService>;
    consumerPrincipal?: string;
    region?: string;
}

/** The catalog from the stack configuration, or undefined when the stack was given none. */
export function readCatalog(): CatalogView | undefined {
    const raw = configValue("services");
    if (!Array.isArray(raw)) {
        return undefined;
    }
    const services = new Map<string, CatalogService>();
    for (const s of raw) {
        const name = str(get(s, "name"));
        if (!name || !isRecord(s)) {
            continue;
        }
        services.set(name, {
            name,
            runtime: str(get(s, "runtime")) ?? "fargate",
            consumes: asStrings(get(s, "consumes")),
            allowedPrincipals: asStrings(get(s, "allowedPrincipals")),
        });
    }
    const platform = configValue("platform");
    const edge = frontDoorConsumer(raw, platform);
    if (edge && !services.has(edge.name)) {
        services.set(edge.name, edge);
    }
    const region = configValue("region", "aws");
    return {
        services,
        consumerPrincipal: str(get(platform, "consumerPrincipal")),
        region: typeof region === "string" ? region : undefined,
    };
}

/**
 * The API front door's edge as a catalog consumer: when the platform has a
 * `frontDoor` and services have `expose`, the edge VPC (named
 * FRONT_DOOR_CONSUMER) consumes every exposed service reached through the VPC
 * link (not those with `integration: lambda`), like a declared `consumes`.
 */
export function frontDoorConsumer(services: unknown[], platform: unknown): CatalogService | undefined {
    if (!isRecord(platform) || !isRecord(platform.frontDoor)) {
        return undefined;
    }
    const consumes = services
        .filter((s) => isRecord(s) && isRecord(s.expose) && s.expose.integration !== "lambda")
        .map((s) => str(get(s, "name")))
        .filter((n): n is string => n !== undefined);
    return consumes.length > 0 ? { name: FRONT_DOOR_CONSUMER, runtime: FRONT_DOOR_CONSUMER, consumes, allowedPrincipals: [] } : undefined;
}

/** Catalog edges, "consumer->provider", sorted. */
export function catalogEdges(c: CatalogView): string[] {
    return [...c.services.values()].flatMap((s) => s.consumes.map((p) => `${s.name}->${p}`)).sort();
}

/**
 * The microservice a resource's network belongs to, from the graph: the owner
 * of the one VPC it sits in (placement property dependencies), the VPC's owner
 * being its `privatelink:service` tag or its component's. Undefined when it
 * sits in no VPC or in several.
 */
export function graphOwner(idx: StackIndex, r: PolicyResource): string | undefined | Unknown {
    const vpcs = [...idx.vpcsOf(r)];
    if (vpcs.length !== 1) {
        return undefined;
    }
    return idx.ownerOfVpc(vpcs[0]);
}

/** The service owning an endpoint service: the VPC of its load balancers (graph), else its tag. */
export function endpointServiceOwner(idx: StackIndex, svc: PolicyResource): string | undefined | Unknown {
    const lbs = [...idx.propDeps(svc, "networkLoadBalancerArns"), ...idx.propDeps(svc, "gatewayLoadBalancerArns")].filter((d) => LOAD_BALANCER_TYPES.includes(d.type));
    const owners = new Set(lbs.map((lb) => graphOwner(idx, lb)));
    if (owners.size === 1) {
        const o = [...owners][0];
        if (o !== undefined) {
            return o;
        }
    }
    if (owners.size > 1) {
        return undefined;
    }
    return idx.serviceOf(svc);
}

/** Principal ARNs an endpoint service admits: inline and through VpcEndpointServiceAllowedPrinciple resources. */
export function admittedPrincipals(idx: StackIndex, svc: PolicyResource, peekFn: (o: unknown, ...p: string[]) => unknown): string[] | Unknown {
    const inline = peekFn(svc.props, "allowedPrincipals");
    if (inline === UNKNOWN) {
        return UNKNOWN;
    }
    const out = asArray(inline).map((p) => (typeof p === "string" ? p : JSON.stringify(p)));
    for (const r of idx.referencing(svc.urn, "vpcEndpointServiceId").filter((x) => x.type === T.endpointServicePrincipal)) {
        const p = peekFn(r.props, "principalArn");
        if (p === UNKNOWN) {
            return UNKNOWN;
        }
        out.push(typeof p === "string" ? p : JSON.stringify(p));
    }
    return out;
}
