import { containerDefinitions, containerName } from "../../lib/containers";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { looksSecret } from "../../lib/secrets";
import { asArray, get, str } from "../../lib/values";


export const ecsTaskNoPlaintextSecrets = resourceRule({
    name: "ecs-task-no-plaintext-secrets",
    description: "No secret-looking value is passed to a container through `environment`; secrets go through `secrets` (Secrets Manager / SSM).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Move the variable to the container's `secrets` list with valueFrom = a Secrets Manager or SSM parameter ARN.",
    meta: {
        area: "compute",
        rationale: "Environment values are stored in plain text in the task definition and visible to anyone who can describe it.",
        afterUp: "containerDefinitions is usually built from outputs (image URIs), so it is often unknown in preview.",
        equivalents: { cdkNag: ["AwsSolutions-ECS2"] },
    },
    validateResource: ofType("aws:ecs/taskDefinition:TaskDefinition", (props, args, report) => {
        const defs = containerDefinitions(get(props, "containerDefinitions"));
        (defs ?? []).forEach((c, i) => {
            for (const e of asArray(c.environment)) {
                const name = str(get(e, "name")) ?? "";
                const value = str(get(e, "value")) ?? "";
                if (looksSecret(name, value)) {
                    report(
                        `${subject(args)} ${containerName(c, i)} passes environment variable ${JSON.stringify(name)} in plain text. ` +
                            `Fix: move it to secrets: [{ name: ${JSON.stringify(name)}, valueFrom: <Secrets Manager or SSM ARN> }].`,
                    );
                }
            }
        });
    }),
});
