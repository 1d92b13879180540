/**
 * The lambda runtime: a function behind the one PrivateLink provider path,
 * NLB → target group of type `alb` → an internal ALB → the function. Pack
 * side: policies/facts/runtimes/lambda.ts.
 */
import { LAMBDA } from "../../../policies/facts/runtimes/lambda";
import type { RuntimeModule } from "../module";
import { lambdaHealthCheck, lambdaTargetPort } from "./binding";
import { checkLambdaService, LAMBDA_FIELDS, lambdaSubnet } from "./catalog";

export const LAMBDA_RUNTIME: RuntimeModule<"lambda", typeof LAMBDA_FIELDS> = {
    facts: LAMBDA,
    fields: LAMBDA_FIELDS,
    image: "optional",
    check: checkLambdaService,
    subnet: endpoints => lambdaSubnet(endpoints),
    binding: { targetType: "alb", targetPort: lambdaTargetPort, healthCheck: lambdaHealthCheck },
    secrets: "variable",
    triggers: true,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    component: () => (require("./component") as typeof import("./component")).LambdaService,
    example: { function: { code: "services/notifier" } },
    costs: ["lambda", "load-balancer", "load-balancer-capacity", "logs"],
};
