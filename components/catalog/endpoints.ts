import type { Runtime } from "./schema";

/**
 * The AWS-service endpoints a VPC without internet gateway or NAT needs for a
 * runtime to start and run. Interface endpoints get private DNS; gateway
 * endpoints are attached to the VPC's route table. Names are the suffix after
 * `com.amazonaws.<region>.`.
 */
export interface AwsServiceEndpoints {
    interface: string[];
    gateway: string[];
}

const ENDPOINTS: Record<Runtime, AwsServiceEndpoints> = {
    // Fargate platform 1.4+: image pulls (ECR API and registry, layers from S3) and awslogs.
    fargate: { interface: ["ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    // The ECS agent on EC2 also talks to the ECS control plane.
    "ecs-ec2": { interface: ["ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    // Private EKS nodes: ec2 (VPC CNI assigns pod addresses), ecr.api/ecr.dkr + s3 (images), sts
    // (IRSA and AWS SDKs' regional STS), eks-auth (Pod Identity agent fetches pod credentials),
    // logs (node log agents), elasticloadbalancing (AWS Load Balancer Controller, if adopted).
    // autoscaling only joins this list with the cluster autoscaler, which the platform does not run.
    eks: { interface: ["ec2", "ecr.api", "ecr.dkr", "sts", "eks-auth", "logs", "elasticloadbalancing"], gateway: ["s3"] },
    // Lambda needs none to run; functions add one per AWS API their code calls.
    lambda: { interface: [], gateway: [] },
};

export function awsServiceEndpoints(runtime: Runtime): AwsServiceEndpoints {
    const e = ENDPOINTS[runtime];
    return { interface: [...e.interface], gateway: [...e.gateway] };
}
