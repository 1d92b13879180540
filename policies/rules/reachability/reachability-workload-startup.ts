import { reachabilityOf } from "../../lib/reachability/catalog";
import { stackRule } from "../../lib/rule";

export const reachabilityWorkloadStartup = stackRule({
    name: "reachability-workload-startup",
    description:
        "Every workload reaches what its runtime needs to start (image pull: ecr.api, ecr.dkr, the S3 layer bucket; logs; ECS agent endpoints on EC2; the EKS private-cluster endpoints and API server) from its own subnets and security groups, with private DNS on, and the endpoint policy allows the request.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Create the missing endpoint (private DNS on), admit 443 between the workload and the endpoint, route the subnets to the gateway endpoint, or let the endpoint policy allow the request the finding names (ECR layers are fetched with a URL presigned by ECR: an S3 endpoint policy must allow arn:aws:s3:::prod-<region>-starport-layer-bucket/* for any principal).",
    meta: {
        area: "reachability",
        rationale:
            "A workload that cannot pull its image or ship its logs never starts, and with the ECS circuit breaker the first deployment fails. Sources per dependency are in policies/lib/reachability/startup.ts: Amazon ECR User Guide 'Amazon ECR interface VPC endpoints' and 'Minimum Amazon S3 bucket permissions for Amazon ECR'; Amazon ECS Developer Guide 'Amazon ECS interface VPC endpoints'; Amazon EKS User Guide 'Deploy private clusters with limited internet access'.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const r = reachabilityOf(args.resources);
        for (const s of r.startup) {
            if (s.status === "blocked") {
                report(`${s.reason}. Source: ${s.source}`, s.hops[s.hops.length - 1]?.urn);
            }
        }
    },
});
