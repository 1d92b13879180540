/**
 * What several runtimes share: pulling an image from ECR and shipping
 * container logs at start-up, and the ECS resources of both ECS runtimes.
 */
import type { RuntimeType, StartupDependency, StartupRequest } from "./types";

export const ECR_SOURCE =
    "Amazon ECR User Guide, 'Amazon ECR interface VPC endpoints (AWS PrivateLink)' (ecr.api, ecr.dkr and the S3 gateway endpoint are all needed to pull) and 'Minimum Amazon S3 bucket permissions for Amazon ECR' (layers come from prod-<region>-starport-layer-bucket): https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html";

/** Pulling the service's image from its ECR repository. */
export const IMAGE_PULL: readonly StartupDependency[] = [
    {
        service: "ecr.api",
        kind: "interface",
        purpose: "image pull: registry authorization (ecr:GetAuthorizationToken)",
        request: { action: "ecr:GetAuthorizationToken", resource: "*", caller: "workload" },
        source: ECR_SOURCE,
    },
    {
        service: "ecr.dkr",
        kind: "interface",
        purpose: "image pull: manifests and layer URLs (Docker Registry API)",
        request: { action: "ecr:BatchGetImage", resource: "arn:aws:ecr:{region}:{account}:repository/*", caller: "workload" },
        source: ECR_SOURCE,
    },
    {
        service: "s3",
        kind: "gateway",
        purpose: "image pull: layers from the ECR-owned bucket prod-{region}-starport-layer-bucket",
        request: { action: "s3:GetObject", resource: "arn:aws:s3:::prod-{region}-starport-layer-bucket/*", caller: "ecr-service", awsOwnedResource: true },
        source: ECR_SOURCE,
    },
];

/** Container logs through the awslogs driver. */
export const CONTAINER_LOGS: StartupDependency = {
    service: "logs",
    kind: "interface",
    purpose: "container logs (awslogs driver: logs:CreateLogStream, logs:PutLogEvents)",
    request: { action: "logs:PutLogEvents", resource: "arn:aws:logs:{region}:{account}:log-group:*", caller: "workload" },
    source: "Amazon ECS Developer Guide, 'Amazon ECS interface VPC endpoints (AWS PrivateLink)': tasks using awslogs without internet access need the logs endpoint: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html",
};

/** A request the workload's own role makes. */
export function ownRequest(action: string, resource = "*"): StartupRequest {
    return { action, resource, caller: "workload" };
}

/** The endpoints a list of start-up dependencies names, interface and gateway apart, in order. */
export function endpointsOf(deps: readonly StartupDependency[]): { interface: string[]; gateway: string[] } {
    const pick = (kind: StartupDependency["kind"]) => [...new Set(deps.filter((d) => d.kind === kind).map((d) => d.service))];
    return { interface: pick("interface"), gateway: pick("gateway") };
}

/** What every ECS runtime creates: cluster, task definition, service, log group, task roles, CPU scaling. */
export const ECS_TYPES: readonly RuntimeType[] = [
    { type: "aws:ecs/cluster:Cluster", isolation: "The service's ECS cluster." },
    { type: "aws:ecs/service:Service", isolation: "Tasks in the service's subnets without public IPs (ecs-service-no-public-ip, workload-in-owned-vpc)." },
    { type: "aws:ecs/taskDefinition:TaskDefinition", isolation: "Separate roles, no privileged containers, no plaintext secrets (ecs-task-*)." },
    { type: "aws:appautoscaling/target:Target", isolation: "Scaling of the service; no network reach." },
    { type: "aws:appautoscaling/policy:Policy", isolation: "Scaling of the service; no network reach." },
    { type: "aws:cloudwatch/logGroup:LogGroup", isolation: "The tasks' log group, encrypted with the platform key and retained; no network reach." },
    { type: "aws:iam/role:Role", isolation: "The task execution role (its own image and log group) and the task role (the application), never shared (iam-* rules, iam-role-per-service)." },
    { type: "aws:iam/rolePolicy:RolePolicy", isolation: "The execution role's pulls from its own repository and writes to its own log group (iam-no-wildcard-admin-statements, iam-no-privilege-escalation)." },
];
