import { containerDefinitions, containerName } from "../../lib/containers";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const ecsTaskNotPrivileged = resourceRule({
    name: "ecs-task-not-privileged",
    description: "No container runs privileged or shares the host's PID/IPC namespace.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove privileged: true; drop pidMode/ipcMode host; grant specific Linux capabilities only if unavoidable.",
    meta: {
        area: "compute",
        rationale: "A privileged container owns its host and, on EC2, every other task on it.",
        afterUp: "containerDefinitions is usually unknown in preview.",
        equivalents: { checkov: ["CKV_AWS_334", "CKV_AWS_335"] },
    },
    validateResource: ofType("aws:ecs/taskDefinition:TaskDefinition", (props, args, report) => {
        (containerDefinitions(get(props, "containerDefinitions")) ?? []).forEach((c, i) => {
            if (bool(c.privileged) === true) {
                report(`${subject(args)} ${containerName(c, i)} sets privileged = ${show(c.privileged)}. Fix: remove privileged.`);
            }
        });
        for (const key of ["pidMode", "ipcMode"]) {
            const v = get(props, key);
            if (v === "host") {
                report(`${subject(args)} ${key} = "host" shares the host namespace. Fix: remove ${key} or use "task".`);
            }
        }
    }),
});
