/**
 * ECS on EC2 container instances the service owns: an Auto Scaling group of
 * ECS-optimized hosts behind a capacity provider, awsvpc tasks registered
 * with the PrivateLink NLB as ip targets.
 */
import { CONTAINER_LOGS, ECS_TYPES, IMAGE_PULL, ownRequest } from "./common";
import type { RuntimeFacts } from "./types";

const ECS_SOURCE =
    "Amazon ECS Developer Guide, 'Amazon ECS interface VPC endpoints (AWS PrivateLink)': container instances need ecs-agent, ecs-telemetry and ecs: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html";

export const ECS_EC2: RuntimeFacts<"ecs-ec2"> = {
    name: "ecs-ec2",
    label: "ECS on EC2",
    component: "privatelink:runtime:EcsEc2Service",
    // The ECS agent on EC2 also talks to the ECS control plane.
    endpoints: { interface: ["ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    startup: [
        { service: "ecs-agent", kind: "interface", purpose: "ECS agent: task state (ecs:Poll)", request: ownRequest("ecs:Poll"), source: ECS_SOURCE },
        { service: "ecs-telemetry", kind: "interface", purpose: "ECS agent: metrics (ecs:StartTelemetrySession)", request: ownRequest("ecs:StartTelemetrySession"), source: ECS_SOURCE },
        { service: "ecs", kind: "interface", purpose: "ECS agent: registration (ecs:RegisterContainerInstance)", request: ownRequest("ecs:RegisterContainerInstance"), source: ECS_SOURCE },
        ...IMAGE_PULL,
        CONTAINER_LOGS,
    ],
    // The hosts pull images and ship logs (the agent and Docker run on them), not the tasks' ENIs.
    startupFrom: "aws:autoscaling/group:Group",
    types: [
        ...ECS_TYPES,
        { type: "aws:iam/instanceProfile:InstanceProfile", isolation: "The container instances' role: only the ECS agent's calls for its own cluster." },
        { type: "aws:ec2/securityGroup:SecurityGroup", isolation: "The hosts' group: no ingress, HTTPS to the VPC's endpoints and S3 only (security-group-restricted-egress)." },
        { type: "aws:ec2/launchTemplate:LaunchTemplate", isolation: "IMDSv2 with one hop, no public IP, encrypted volumes (ec2-* rules)." },
        { type: "aws:autoscaling/group:Group", isolation: "Hosts in the service's subnets (workload-in-owned-vpc)." },
        { type: "aws:ecs/capacityProvider:CapacityProvider", isolation: "Binds the service's Auto Scaling group." },
        { type: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", isolation: "Capacity of the service's cluster." },
    ],
    workloads: [{ type: "aws:ecs/service:Service", ecsCapacity: "EC2" }, { type: "awsx:ecs:EC2Service" }],
    // Standard instance families; GPU (G) families count against L-DB2E81BA instead.
    quotas: [{ code: "L-1216C47A", counts: "aws:autoscaling/group:Group" }],
};
