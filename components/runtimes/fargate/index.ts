/**
 * The fargate runtime: ECS tasks on Fargate, registered with the PrivateLink
 * NLB as ip targets. Pack side: policies/facts/runtimes/fargate.ts.
 */
import { FARGATE } from "../../../policies/facts/runtimes/fargate";
import { RuntimeModule, taskSubnet } from "../module";
import { checkFargateService, FARGATE_FIELDS } from "./catalog";

export const FARGATE_RUNTIME: RuntimeModule<"fargate", typeof FARGATE_FIELDS> = {
    facts: FARGATE,
    fields: FARGATE_FIELDS,
    image: "required",
    check: (entry, ctx, problems) => checkFargateService(entry, ctx.at, problems),
    subnet: taskSubnet,
    binding: { targetType: "ip" },
    secrets: "container",
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    component: () => (require("./component") as typeof import("./component")).FargateService,
    example: { image: "1.0.0" },
    costs: ["fargate", "logs"],
};
