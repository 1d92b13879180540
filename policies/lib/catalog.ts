import { PolicyResource } from "@pulumi/policy";
import { declaredEdges } from "./declared-edges";
import { StackIndex } from "./graph";
import { LOAD_BALANCER_TYPES, TYPES } from "./plan/types";
import { configValue } from "./stack-config";
import { FRONT_DOOR_CONSUMER } from "./front-door";
import { asArray, asStrings, get, isRecord, str, Unknown, UNKNOWN } from "./values";
import { HANDLER_ENDPOINTS, hasSubscribers, partitionOf, planDate, subscriberPrincipals, SUBSCRIPTION_HANDLER } from "./subscriptions";

export { declaredEdges, DeclaredEdge, edgeName } from "./declared-edges";

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
    /** The service's own allowedPrincipals plus its unexpired subscribers' principals (lib/subscriptions.js). */
    allowedPrincipals: string[];
    /** The AWS-service endpoints of a VPC the platform owns besides the services' (the subscription handler's); a runtime's are in its facts. */
    awsEndpoints?: { readonly interface: readonly string[]; readonly gateway: readonly string[] };
    /** Whether the service lists subscribers, whose connections the subscription handler decides. */
    hasSubscribers?: boolean;
    /** Other providers' endpoint services it consumes, as the catalog declares them (`external`). */
    external: CatalogExternal[];
    /** Its own DNS name (`privateDnsName`) and the public hosted zone that proves it (`privateDnsZoneId`), when the catalog gives them. */
    privateDns?: { name: string; zoneId?: string };
}

/** One `external` declaration: an endpoint service of another provider, the ports called, why. */
export interface CatalogExternal {
    name: string;
    serviceName: string;
    ports: number[];
    reason: string;
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
    const region = configValue("region", "aws");
    const now = planDate();
    for (const s of raw) {
        const name = str(get(s, "name"));
        if (!name || !isRecord(s)) {
            continue;
        }
        services.set(name, {
            name,
            runtime: str(get(s, "runtime")) ?? "fargate",
            consumes: asStrings(get(s, "consumes")),
            allowedPrincipals: [...new Set([...asStrings(get(s, "allowedPrincipals")), ...subscriberPrincipals(s, now, partitionOf(typeof region === "string" ? region : undefined))])],
            hasSubscribers: hasSubscribers(s),
            external: asArray(get(s, "external")).flatMap((e) => {
                const name = str(get(e, "name"));
                const serviceName = str(get(e, "serviceName"));
                if (!name || !serviceName) return [];
                return [{ name, serviceName, ports: asArray(get(e, "ports")).filter((p): p is number => typeof p === "number"), reason: str(get(e, "reason")) ?? "" }];
            }),
            ...(str(get(s, "privateDnsName")) ? { privateDns: { name: str(get(s, "privateDnsName"))!, ...(str(get(s, "privateDnsZoneId")) ? { zoneId: str(get(s, "privateDnsZoneId"))! } : {}) } } : {}),
        });
    }
    // The front door's edge VPC is a consumer too (lib/declared-edges.ts).
    const platform = configValue("platform");
    const frontDoor = declaredEdges(raw, platform).filter((e) => e.via === "front door");
    if (frontDoor.length > 0 && !services.has(FRONT_DOOR_CONSUMER)) {
        services.set(FRONT_DOOR_CONSUMER, { name: FRONT_DOOR_CONSUMER, runtime: FRONT_DOOR_CONSUMER, consumes: frontDoor.map((e) => e.provider), allowedPrincipals: [], external: [] });
    }
    // The subscription handler's VPC, when a service has subscribers (lib/subscriptions.js).
    if (raw.some(hasSubscribers) && !services.has(SUBSCRIPTION_HANDLER)) {
        services.set(SUBSCRIPTION_HANDLER, { name: SUBSCRIPTION_HANDLER, runtime: SUBSCRIPTION_HANDLER, consumes: [], allowedPrincipals: [], awsEndpoints: HANDLER_ENDPOINTS, external: [] });
    }
    return {
        services,
        consumerPrincipal: str(get(platform, "consumerPrincipal")),
        region: typeof region === "string" ? region : undefined,
    };
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
    for (const r of idx.referencing(svc.urn, "vpcEndpointServiceId").filter((x) => x.type === TYPES.endpointServicePrincipal)) {
        const p = peekFn(r.props, "principalArn");
        if (p === UNKNOWN) {
            return UNKNOWN;
        }
        out.push(typeof p === "string" ? p : JSON.stringify(p));
    }
    return out;
}
