import { containerDefinitions, containerName } from "../../lib/containers";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, str } from "../../lib/values";

export const ecsTaskLogging = resourceRule({
    name: "ecs-task-logging",
    description: "Every container of a task definition has a log configuration.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: 'Set logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": ..., "awslogs-region": ..., "awslogs-stream-prefix": ... } } (the VPC needs the logs endpoint).',
    meta: {
        area: "compute",
        rationale: "Without a log driver a container's output is lost; hygiene, so advisory.",
        afterUp: "containerDefinitions is usually unknown in preview.",
        equivalents: { cdkNag: ["AwsSolutions-ECS7"] },
    },
    validateResource: ofType("aws:ecs/taskDefinition:TaskDefinition", (props, args, report) => {
        const raw = get(props, "containerDefinitions");
        const defs = containerDefinitions(raw);
        if (defs === undefined) {
            report(`${subject(args)} containerDefinitions is not valid JSON. Fix: build it with JSON.stringify / pulumi.jsonStringify.`);
            return;
        }
        defs.forEach((c, i) => {
            if (!str(get(c.logConfiguration, "logDriver"))) {
                report(`${subject(args)} ${containerName(c, i)} has no logConfiguration.logDriver. Fix: configure the awslogs driver.`);
            }
        });
    }),
});
