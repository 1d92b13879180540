import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { peek, str, text, UNKNOWN } from "../../lib/values";

export const ecsTaskRoleSeparation = stackRule({
    name: "ecs-task-role-separation",
    description: "A task definition's task role (the application's permissions) differs from its execution role (the agent's: pull image, write logs, read secrets).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Create two roles per service: an execution role with AmazonECSTaskExecutionRolePolicy-like permissions and a task role with only what the application calls.",
    meta: {
        area: "compute",
        rationale: "One role for both gives application code the agent's rights to every secret the task definition references.",
        equivalents: { checkov: ["CKV_AWS_249"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const td of idx.ofType(TYPES.taskDefinition)) {
            const task = idx.propDeps(td, "taskRoleArn").map((r) => r.urn);
            const exec = new Set(idx.propDeps(td, "executionRoleArn").map((r) => r.urn));
            const shared = task.filter((u) => exec.has(u));
            if (shared.length > 0) {
                report(`${label(td)} uses role ${shared[0]} as both taskRoleArn and executionRoleArn. Fix: give the task its own role.`, td.urn);
                continue;
            }
            if (task.length === 0 && exec.size === 0) {
                const a = peek(td.props, "taskRoleArn");
                const b = peek(td.props, "executionRoleArn");
                if (a !== UNKNOWN && b !== UNKNOWN && str(a) && str(a) === str(b)) {
                    report(`${label(td)} taskRoleArn and executionRoleArn are both ${text(a)}. Fix: give the task its own role.`, td.urn);
                }
            }
        }
    },
});
