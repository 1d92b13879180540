/**
 * ECS on Fargate: tasks with their own network interfaces in the service's
 * subnets, registered with the PrivateLink NLB as ip targets.
 */
import { CONTAINER_LOGS, ECS_TYPES, IMAGE_PULL } from "./common";
import type { RuntimeFacts } from "./types";

export const FARGATE: RuntimeFacts<"fargate"> = {
    name: "fargate",
    label: "ECS Fargate",
    component: "privatelink:runtime:FargateService",
    // Fargate platform 1.4+: image pulls (ECR API and registry, layers from S3) and awslogs.
    endpoints: { interface: ["ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    startup: [...IMAGE_PULL, CONTAINER_LOGS],
    types: ECS_TYPES,
    workloads: [{ type: "aws:ecs/service:Service", ecsCapacity: "FARGATE" }, { type: "awsx:ecs:FargateService" }],
    quotas: [{ code: "L-3032A538", counts: "aws:ecs/service:Service" }],
};
