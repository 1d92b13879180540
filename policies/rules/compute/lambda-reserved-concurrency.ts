import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, num, show } from "../../lib/values";

export const lambdaReservedConcurrency = resourceRule({
    name: "lambda-reserved-concurrency",
    description: "Lambda functions set reservedConcurrentExecutions (a function-level concurrency limit).",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set reservedConcurrentExecutions to the service's expected peak (at least 1).",
    meta: {
        area: "compute",
        rationale: "Without a limit one service's spike exhausts the account's concurrency for every other service.",
        equivalents: { cdkNag: ["NIST.800.53.R5-LambdaConcurrency"], checkov: ["CKV_AWS_115"] },
    },
    validateResource: ofType("aws:lambda/function:Function", (props, args, report) => {
        const raw = get(props, "reservedConcurrentExecutions");
        const v = num(raw);
        if (v === undefined || v < 1) {
            report(`${subject(args)} reservedConcurrentExecutions = ${show(raw ?? "(unset, unreserved)")}. Fix: set it to a positive limit.`);
        }
    }),
});
