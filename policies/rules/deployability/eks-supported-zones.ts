import type { PolicyResource } from "@pulumi/policy";
import { EKS_UNSUPPORTED_ZONE_IDS, eksRefusesZone } from "../../facts/zones";
import { label, stackIndex, StackIndex, T } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { peek, str } from "../../lib/values";

/** The properties through which each EKS cluster type names its cluster subnets. */
const SUBNET_PROPS: Record<string, readonly string[]> = {
    [T.eksCluster]: ["vpcConfig"],
    [T.eksComponent]: ["subnetIds", "privateSubnetIds", "publicSubnetIds"],
};

/** Subnet ids a cluster names by value (known ones only: unknown ids are followed through property dependencies). */
function subnetIdValues(r: PolicyResource): string[] {
    const paths = r.type === T.eksCluster ? [["vpcConfig", "subnetIds"]] : [["subnetIds"], ["privateSubnetIds"], ["publicSubnetIds"]];
    const ids: string[] = [];
    for (const path of paths) {
        const list = peek(r.props, ...path);
        if (!Array.isArray(list)) continue;
        for (let i = 0; i < list.length; i++) {
            const id = str(peek(list, i));
            if (id) ids.push(id);
        }
    }
    return ids;
}

/** The stack's subnets a cluster is placed in: through property dependencies, and by id where subnets report theirs. */
function clusterSubnets(idx: StackIndex, r: PolicyResource, byId: Map<string, PolicyResource>): PolicyResource[] {
    const found = new Map<string, PolicyResource>();
    for (const prop of SUBNET_PROPS[r.type] ?? []) {
        for (const d of idx.propDeps(r, prop)) {
            if (d.type === T.subnet) found.set(d.urn, d);
        }
    }
    for (const id of subnetIdValues(r)) {
        const s = byId.get(id);
        if (s) found.set(s.urn, s);
    }
    return [...found.values()];
}

const LIST = EKS_UNSUPPORTED_ZONE_IDS.map(z => `${z.zoneId} (${z.region})`).join(", ");

export const eksSupportedZones = stackRule({
    name: "eks-supported-zones",
    description:
        "Every subnet of an EKS cluster (aws:eks/cluster:Cluster vpcConfig.subnetIds, the eks:index:Cluster component's subnetIds/privateSubnetIds/publicSubnetIds) " +
        `is in a zone id where EKS accepts cluster subnets; EKS refuses ${LIST}.`,
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create the cluster's subnets with availabilityZoneId in supported zones (here: set platform.zoneIds to zone ids EKS accepts, " +
        "or leave them out and let the program choose), or pass the cluster only subnets in supported zones. " +
        "The list of refused zone ids is policies/facts/zones.ts (EKS_UNSUPPORTED_ZONE_IDS).",
    meta: {
        area: "deployability",
        rationale:
            "EKS refuses to create a cluster with a subnet in some zone ids (UnsupportedAvailabilityZoneException: \"At least one of your specified " +
            "cluster subnets is in an Availability Zone that does not support Amazon EKS\"), and zone names map to other physical zones in every " +
            "account, so only the zone id tells. Source: Amazon EKS User Guide, \"View Amazon EKS networking requirements for VPC and subnets\", " +
            "Subnet requirements for clusters (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets): " +
            "use1-az3, usw1-az2, cac1-az3; eksctl also avoids cnn1-az4 (eksctl-io/eksctl#3916). The EKS API reference documents the exception " +
            "(CreateCluster, UnsupportedAvailabilityZoneException; its validZones lists the zones your account may use).",
        afterUp:
            "A subnet created with only an availabilityZone name has its zone id after create: then the rule decides in `up`. " +
            "Subnets outside the stack (ids the stack does not create) cannot be resolved and are not checked.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const clusters = idx.ofType(T.eksCluster, T.eksComponent);
        if (clusters.length === 0) {
            return;
        }
        const byId = new Map<string, PolicyResource>();
        for (const s of idx.ofType(T.subnet)) {
            const id = str(idx.prop(s, "id"));
            if (id) byId.set(id, s);
        }
        for (const cluster of clusters) {
            for (const subnet of clusterSubnets(idx, cluster, byId)) {
                // Read directly: a zone id unknown in preview is reported by the engine's unknown proxy.
                const zoneId = str((subnet.props as Record<string, unknown>).availabilityZoneId);
                if (zoneId && eksRefusesZone(zoneId)) {
                    const entry = EKS_UNSUPPORTED_ZONE_IDS.find(z => z.zoneId === zoneId)!;
                    report(
                        `${label(cluster)} has subnet ${label(subnet)} in zone id ${zoneId} (${entry.region}), where EKS does not accept cluster subnets: ` +
                            `CreateCluster fails with UnsupportedAvailabilityZoneException. ` +
                            `Fix: create the subnet with availabilityZoneId in another zone of the region (platform.zoneIds), or leave it out of the cluster.`,
                        cluster.urn,
                    );
                }
            }
        }
    },
});
