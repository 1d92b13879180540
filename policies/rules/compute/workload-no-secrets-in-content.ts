import { ResourceValidation } from "@pulumi/policy";
import { secretsIn } from "../../lib/secrets";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { WORKLOAD_STRING_TYPES, workloadStrings } from "../../lib/workload-strings";

const validations: ResourceValidation[] = WORKLOAD_STRING_TYPES.map((type) =>
    ofType(type, async (props, args, report) => {
        const seen = workloadStrings(args.type, props);
        for (const f of await secretsIn(seen)) {
            report(
                `${subject(args)} ${f.where} holds a secret in plain text: ${f.message} (found by ${f.by}). ` +
                    `Fix: store it in Secrets Manager or SSM Parameter Store and pass a reference (an ECS container's secrets[].valueFrom, a Kubernetes secretKeyRef, the secret's ARN for the code to read).`,
            );
        }
    }),
);

export const workloadNoSecretsInContent = resourceRule({
    name: "workload-no-secrets-in-content",
    description:
        "No string a workload sees (container environment, command, entry point, health check, labels, function variables, instance user data, Kubernetes env and args) holds a secret, found by its content: a known credential format, a password in a URL or connection string, a private key, or a random-looking token.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Keep the secret in Secrets Manager or SSM Parameter Store and pass a reference the runtime resolves (ECS secrets[].valueFrom, a Kubernetes secretKeyRef) or the secret's ARN for the code to read.",
    meta: {
        area: "compute",
        afterUp: "a string built from another resource's output (a database endpoint in a URL) is unknown in preview.",
        rationale:
            "A secret in a command, an argument or a connection URL is as readable as one in an environment variable named PASSWORD: anyone who can describe the task definition, function or launch template reads it " +
            "(Amazon ECS Developer Guide, \"Pass sensitive data to an Amazon ECS container\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html). " +
            "Names prove nothing, so values are scanned with secretlint's maintained recommended rule set (https://github.com/secretlint/secretlint) and an entropy test (detect-secrets' base64 limit).",
        equivalents: { cdkNag: ["AwsSolutions-ECS2"], checkov: ["CKV_AWS_45"] },
    },
    validateResource: validations,
});

