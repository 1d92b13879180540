import { isUnknown, label, stackIndex, WORKLOAD_TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";

export const workloadInOwnedVpc = stackRule({
    name: "workload-in-owned-vpc",
    description:
        "Every workload (ECS service, Lambda, EKS cluster, load balancer, autoscaling group) sits in exactly one VPC of this stack, that VPC is owned by a microservice (privatelink:service tag), and it is the workload's own service.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Place the workload in its service's private subnets (pass <vpc>.privateSubnetIds / subnet ids so the dependency is visible), and tag VPC and workload with privatelink:service = <service>.",
    meta: {
        area: "topology",
        rationale: "One isolated VPC per microservice is the platform's unit of isolation; a workload outside it (or in another service's) escapes it.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const r of args.resources) {
            if (!WORKLOAD_TYPES.has(r.type)) {
                continue;
            }
            const vpcs = [...idx.vpcsOf(r)];
            if (vpcs.length === 0) {
                report(
                    `${label(r)} is not placed in any VPC of this stack (no subnet, security-group or vpcId property depends on one). ` +
                        `Fix: pass the service VPC's private subnet ids (and security groups) as outputs of those resources.`,
                    r.urn,
                );
                continue;
            }
            if (vpcs.length > 1) {
                report(`${label(r)} spans ${vpcs.length} VPCs (${vpcs.join(", ")}). Fix: place it in its own service's VPC only.`, r.urn);
                continue;
            }
            const owner = idx.ownerOfVpc(vpcs[0]);
            const own = idx.serviceOf(r);
            if (isUnknown(owner) || isUnknown(own)) {
                continue;
            }
            if (owner === undefined) {
                report(`${label(r)} sits in VPC ${vpcs[0]}, which has no privatelink:service tag, so it belongs to no microservice. Fix: tag the VPC with its owning service.`, r.urn);
            } else if (own !== undefined && own !== owner) {
                report(`${label(r)} is tagged privatelink:service = "${own}" but sits in the VPC of "${owner}" (${vpcs[0]}). Fix: move it to "${own}"'s VPC.`, r.urn);
            }
        }
    },
});
