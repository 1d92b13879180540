import { PolicyResource } from "@pulumi/policy";
import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { peek, str, UNKNOWN } from "../../lib/values";

/** A consumer-side interface endpoint whose only foreign reference is the provider's endpoint service. */
function isInterfaceEndpointToService(idx: ReturnType<typeof stackIndex>, r: PolicyResource, prop: string, dep: PolicyResource): boolean {
    if (r.type !== TYPES.vpcEndpoint || prop !== "serviceName" || dep.type !== TYPES.endpointService) {
        return false;
    }
    const kind = peek(r.props, "vpcEndpointType");
    return kind === UNKNOWN || str(kind) === "Interface";
}

/** PrivateLink plumbing and DNS: they name both sides of an edge but carry no traffic themselves. */
const NOT_A_PATH = new Set([
    "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
    "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification",
    "aws:route53/zone:Zone",
    "aws:route53/zoneAssociation:ZoneAssociation",
    "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization",
    "aws:route53/record:Record",
]);

/**
 * Properties that are documents, not network settings: an endpoint policy
 * names the resources callers may act on, a function's environment hands it
 * values; neither opens a path to the VPC of what it names.
 */
const DATA_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
    [TYPES.vpcEndpoint]: ["policy"],
    "aws:lambda/function:Function": ["environment"],
};

export const privatelinkOnlyBetweenVpcs = stackRule({
    name: "privatelink-only-between-vpcs",
    description:
        "The only resources that connect two VPCs are interface endpoints (vpcEndpointType Interface) to endpoint services: nothing else references resources in two different VPCs.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Remove the cross-VPC reference (peering, shared security-group rule, route, shared load balancer...). Expose the provider through its endpoint service and consume it with an Interface endpoint.",
    meta: {
        area: "topology",
        rationale: "Peering, transit and cross-VPC security-group references bypass PrivateLink's per-service, per-principal gate; no peer rule set checks this.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const r of args.resources) {
            if (NOT_A_PATH.has(r.type)) {
                continue;
            }
            const deps = r.propertyDependencies ?? {};
            const props = Object.keys(deps);
            if (props.length === 0) {
                continue;
            }
            const own = idx.vpcsOf(r);
            if (own.size === 0) {
                // Not network-placed (IAM documents, registries, topics): naming another VPC's resource is data, not a path.
                continue;
            }
            const seen = new Map<string, string>();
            for (const v of own) {
                seen.set(v, "(placement)");
            }
            for (const prop of props) {
                if (DATA_PROPERTIES[r.type]?.includes(prop)) {
                    continue;
                }
                for (const d of deps[prop] ?? []) {
                    if (!d) {
                        continue;
                    }
                    const dv = idx.vpcsOf(d);
                    if (dv.size === 0) {
                        continue;
                    }
                    if (isInterfaceEndpointToService(idx, r, prop, d)) {
                        continue;
                    }
                    for (const v of dv) {
                        if (!seen.has(v)) {
                            seen.set(v, `${prop} -> ${d.urn}`);
                        }
                    }
                }
            }
            if (seen.size > 1) {
                const via = [...seen.entries()].map(([v, how]) => `${v} via ${how}`).join("; ");
                const extra = r.type === TYPES.vpcEndpoint ? " (an endpoint may reach another VPC only through serviceName -> an endpoint service, as an Interface endpoint)" : "";
                report(`${label(r)} connects ${seen.size} VPCs: ${via}${extra}. Fix: connect services only through PrivateLink interface endpoints.`, r.urn);
            }
        }
    },
});
