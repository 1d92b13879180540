import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { peek, str, UNKNOWN } from "../../lib/values";

export const lambdaFailureDestination = stackRule({
    name: "lambda-failure-destination",
    description: "Every Lambda function has a failure destination (FunctionEventInvokeConfig onFailure) or a dead-letter queue.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Add aws.lambda.FunctionEventInvokeConfig({ functionName: fn.name, destinationConfig: { onFailure: { destination: <queue or topic ARN> } } }) or deadLetterConfig: { targetArn }.",
    meta: {
        area: "compute",
        rationale: "Failed asynchronous invocations are otherwise dropped after retries.",
        equivalents: { cdkNag: ["NIST.800.53.R5-LambdaDLQ"], checkov: ["CKV_AWS_116"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const fn of idx.ofType(TYPES.lambda)) {
            const dlq = peek(fn.props, "deadLetterConfig", "targetArn");
            if (dlq === UNKNOWN || str(dlq)) {
                continue;
            }
            const configs = idx.referencing(fn.urn, "functionName").filter((r) => r.type === TYPES.lambdaInvokeConfig);
            const ok = configs.some((c) => {
                const d = peek(c.props, "destinationConfig", "onFailure", "destination");
                return d === UNKNOWN || !!str(d);
            });
            if (!ok) {
                report(
                    `${label(fn)} has neither deadLetterConfig.targetArn nor a FunctionEventInvokeConfig with destinationConfig.onFailure. ` +
                        `Fix: add a FunctionEventInvokeConfig whose functionName is this function, with an onFailure destination.`,
                    fn.urn,
                );
            }
        }
    },
});
