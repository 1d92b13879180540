/**
 * The eks runtime: one EKS cluster per service, a managed node group whose
 * Auto Scaling group is attached to the PrivateLink NLB's instance target
 * group on a fixed NodePort, the workload as a Deployment behind a NodePort
 * Service. Pack side: policies/facts/runtimes/eks.ts.
 */
import { EKS } from "../../../policies/facts/runtimes/eks";
import { RuntimeModule, taskSubnet } from "../module";
import { nodePortFor } from "./binding";
import { checkEksPlatform, checkEksService, EKS_FIELDS, EKS_PLATFORM_FIELDS } from "./catalog";

export const EKS_RUNTIME: RuntimeModule<"eks", typeof EKS_FIELDS, typeof EKS_PLATFORM_FIELDS> = {
    facts: EKS,
    fields: EKS_FIELDS,
    platformFields: EKS_PLATFORM_FIELDS,
    image: "required",
    check: (entry, ctx, problems) => checkEksService(ctx.at, entry, problems),
    checkPlatform: checkEksPlatform,
    subnet: taskSubnet,
    binding: { targetType: "instance", targetPort: spec => nodePortFor(spec.port) },
    secrets: "variable",
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    component: () => (require("./component") as typeof import("./component")).EksService,
    example: { image: "1.0.0", instanceTypes: ["m7i.large"], capacity: { min: 1, max: 2 } },
    costs: ["eks-control-plane", "ec2", "ebs", "logs"],
};
