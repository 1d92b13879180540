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
    // Private EKS nodes: bootstrap (ec2, eks-auth via sts), images, load balancer controller, logs.
    eks: { interface: ["ec2", "ecr.api", "ecr.dkr", "sts", "logs", "elasticloadbalancing"], gateway: ["s3"] },
    // Lambda needs none to run; functions add one per AWS API their code calls.
    lambda: { interface: [], gateway: [] },
};

export function awsServiceEndpoints(runtime: Runtime): AwsServiceEndpoints {
    const e = ENDPOINTS[runtime];
    return { interface: [...e.interface], gateway: [...e.gateway] };
}
