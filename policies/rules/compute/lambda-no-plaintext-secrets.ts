import { ofType, resourceRule, subject } from "../../lib/rule";
import { looksSecret } from "../../lib/secrets";
import { get, isRecord, str } from "../../lib/values";

export const lambdaNoPlaintextSecrets = resourceRule({
    name: "lambda-no-plaintext-secrets",
    description: "No secret-looking value is passed to a Lambda function through environment variables; functions read secrets from Secrets Manager or SSM.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Store the value in Secrets Manager or SSM Parameter Store, pass its ARN or name instead, and grant the function role read access to that one secret.",
    meta: {
        area: "compute",
        rationale: "Function environment variables are readable by anyone who can get the function configuration.",
        afterUp: "a variable built from another resource's output (a queue's URL the catalog's data or uses give the function) is known only after up.",
        equivalents: { checkov: ["CKV_AWS_45"] },
    },
    validateResource: ofType("aws:lambda/function:Function", (props, args, report) => {
        const vars = get(get(props, "environment"), "variables");
        if (!isRecord(vars)) {
            return;
        }
        for (const name of Object.keys(vars)) {
            const value = str(get(vars, name)) ?? "";
            if (looksSecret(name, value)) {
                report(`${subject(args)} environment.variables.${name} holds a secret in plain text. Fix: store it in Secrets Manager or SSM and pass ${JSON.stringify(`${name}_ARN`)} instead.`);
            }
        }
    }),
});
