/**
 * What each runtime reaches over the network before its workload serves a
 * single request, as data with its AWS source. The reachability model checks
 * every entry from the workload's own subnets and security groups: an
 * endpoint in the VPC (interface: private DNS on; gateway: a route in the
 * subnets' table), the security groups on the way, and the endpoint policy
 * for the request below.
 *
 * Kept apart from components/catalog/endpoints.ts on purpose: that list is
 * what the program creates, this one is what AWS needs; the model compares
 * the two.
 */

/** Who signs the request, for the endpoint policy. */
export type Caller =
    /** The workload's own role (task execution role, node role, host role): an IAM principal of the stack's account. */
    | "workload"
    /**
     * A presigned URL handed out by ECR: S3 sees the request as made by an
     * ECR-owned principal in an AWS account, not by the workload.
     */
    | "ecr-service";

export interface StartupRequest {
    action: string;
    /** `{region}` and `{account}` are filled in. */
    resource: string;
    caller: Caller;
    /** The bucket or resource belongs to AWS (aws:ResourceAccount is not the stack's account). */
    awsOwnedResource?: boolean;
}

export interface StartupDependency {
    /** Endpoint service suffix after `com.amazonaws.<region>.`. */
    service: string;
    kind: "interface" | "gateway";
    /** What the workload does with it (shown in findings). */
    purpose: string;
    request: StartupRequest;
    source: string;
}

export type Runtime = "fargate" | "ecs-ec2" | "eks" | "lambda";

const ECR_SRC =
    "Amazon ECR User Guide, 'Amazon ECR interface VPC endpoints (AWS PrivateLink)' (ecr.api, ecr.dkr and the S3 gateway endpoint are all needed to pull) and 'Minimum Amazon S3 bucket permissions for Amazon ECR' (layers come from prod-<region>-starport-layer-bucket): https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html";

const IMAGE_PULL: StartupDependency[] = [
    {
        service: "ecr.api",
        kind: "interface",
        purpose: "image pull: registry authorization (ecr:GetAuthorizationToken)",
        request: { action: "ecr:GetAuthorizationToken", resource: "*", caller: "workload" },
        source: ECR_SRC,
    },
    {
        service: "ecr.dkr",
        kind: "interface",
        purpose: "image pull: manifests and layer URLs (Docker Registry API)",
        request: { action: "ecr:BatchGetImage", resource: "arn:aws:ecr:{region}:{account}:repository/*", caller: "workload" },
        source: ECR_SRC,
    },
    {
        service: "s3",
        kind: "gateway",
        purpose: "image pull: layers from the ECR-owned bucket prod-{region}-starport-layer-bucket",
        request: { action: "s3:GetObject", resource: "arn:aws:s3:::prod-{region}-starport-layer-bucket/*", caller: "ecr-service", awsOwnedResource: true },
        source: ECR_SRC,
    },
];

const LOGS: StartupDependency = {
    service: "logs",
    kind: "interface",
    purpose: "container logs (awslogs driver: logs:CreateLogStream, logs:PutLogEvents)",
    request: { action: "logs:PutLogEvents", resource: "arn:aws:logs:{region}:{account}:log-group:*", caller: "workload" },
    source: "Amazon ECS Developer Guide, 'Amazon ECS interface VPC endpoints (AWS PrivateLink)': tasks using awslogs without internet access need the logs endpoint: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html",
};

const ECS_SRC =
    "Amazon ECS Developer Guide, 'Amazon ECS interface VPC endpoints (AWS PrivateLink)': container instances need ecs-agent, ecs-telemetry and ecs: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html";

const EKS_SRC =
    "Amazon EKS User Guide, 'Deploy private clusters with limited internet access' (interface endpoints ec2, ecr.api, ecr.dkr, sts, logs, elasticloadbalancing, eks-auth for Pod Identity; the S3 gateway endpoint): https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html";

function own(action: string, resource = "*"): StartupRequest {
    return { action, resource, caller: "workload" };
}

export const STARTUP: Record<Runtime, StartupDependency[]> = {
    fargate: [...IMAGE_PULL, LOGS],
    "ecs-ec2": [
        { service: "ecs-agent", kind: "interface", purpose: "ECS agent: task state (ecs:Poll)", request: own("ecs:Poll"), source: ECS_SRC },
        { service: "ecs-telemetry", kind: "interface", purpose: "ECS agent: metrics (ecs:StartTelemetrySession)", request: own("ecs:StartTelemetrySession"), source: ECS_SRC },
        { service: "ecs", kind: "interface", purpose: "ECS agent: registration (ecs:RegisterContainerInstance)", request: own("ecs:RegisterContainerInstance"), source: ECS_SRC },
        ...IMAGE_PULL,
        LOGS,
    ],
    eks: [
        { service: "ec2", kind: "interface", purpose: "VPC CNI: pod addresses (ec2:AssignPrivateIpAddresses)", request: own("ec2:AssignPrivateIpAddresses"), source: EKS_SRC },
        ...IMAGE_PULL.map((d) => ({ ...d, source: `${d.source}; ${EKS_SRC}` })),
        { service: "sts", kind: "interface", purpose: "regional STS for AWS SDKs (sts:GetCallerIdentity)", request: own("sts:GetCallerIdentity"), source: EKS_SRC },
        { service: "logs", kind: "interface", purpose: "node and pod log agents (logs:PutLogEvents)", request: own("logs:PutLogEvents", "arn:aws:logs:{region}:{account}:log-group:*"), source: EKS_SRC },
        {
            service: "elasticloadbalancing",
            kind: "interface",
            purpose: "load balancer registration (elasticloadbalancing:DescribeTargetGroups)",
            request: own("elasticloadbalancing:DescribeTargetGroups"),
            source: EKS_SRC,
        },
        {
            service: "eks-auth",
            kind: "interface",
            purpose: "Pod Identity agent: pod credentials (eks-auth:AssumeRoleForPodIdentity)",
            request: own("eks-auth:AssumeRoleForPodIdentity", "arn:aws:eks:{region}:{account}:cluster/*"),
            source: `${EKS_SRC}; Amazon EKS User Guide, 'Learn how EKS Pod Identity grants pods access to AWS services' (the agent calls the eks-auth API)`,
        },
    ],
    // A function in a VPC starts without any endpoint: Lambda fetches its code
    // or image (as lambda.amazonaws.com) and ships its logs on the service side,
    // outside the function's ENIs. Only the AWS APIs its code calls need one.
    lambda: [],
};

export const LAMBDA_SOURCE =
    "AWS Lambda Developer Guide, 'Sending Lambda function logs to CloudWatch Logs' (Lambda captures and sends the logs, given the execution role's permissions: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html) and 'Giving Lambda functions access to resources in an Amazon VPC' (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html); Lambda reads an image function's image as lambda.amazonaws.com. That none of this crosses the function's ENIs is what the model assumes; only AWS can confirm it";

export function fill(template: string, region: string, account: string): string {
    return template.replace(/\{region\}/g, region).replace(/\{account\}/g, account);
}
