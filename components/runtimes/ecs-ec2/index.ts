/**
 * The ecs-ec2 runtime: ECS tasks on EC2 container instances the service
 * owns (an Auto Scaling group behind a capacity provider), registered with
 * the PrivateLink NLB as ip targets. Pack side: policies/facts/runtimes/ecs-ec2.ts.
 */
import { ECS_EC2 } from "../../../policies/facts/runtimes/ecs-ec2";
import { RuntimeModule, taskSubnet } from "../module";
import { checkEcsEc2Service, ECS_EC2_FIELDS } from "./catalog";

export const ECS_EC2_RUNTIME: RuntimeModule<"ecs-ec2", typeof ECS_EC2_FIELDS> = {
    facts: ECS_EC2,
    fields: ECS_EC2_FIELDS,
    image: "required",
    check: (entry, ctx, problems) => checkEcsEc2Service(ctx.at, entry, problems),
    subnet: taskSubnet,
    binding: { targetType: "ip" },
    secrets: "container",
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    component: () => (require("./component") as typeof import("./component")).EcsEc2Service,
    example: { image: "1.0.0", instanceTypes: ["m7i.large"], capacity: { min: 1, max: 2 } },
    costs: ["ec2", "ebs", "logs"],
};
