import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, isRecord, peek, show } from "../../lib/values";

/** `${stageVariables.name}` in an integration's target: resolved per request from the stage, not from the plan. */
const STAGE_VARIABLE = /\$\{stageVariables\.[A-Za-z0-9_]+\}/;
const INTEGRATION_TARGETS = ["uri", "connectionId", "integrationTarget", "credentials"];

export const apigatewayNoStageVariables = resourceRule({
    name: "apigateway-no-stage-variables",
    description:
        "The front door's routes are traced end to end in the plan: no stage carries stage variables, and no integration takes its URI, VPC link, target or credentials from one.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Write the integration's target into the integration itself (the plan's ALB, VPC link and function); remove the stage's variables.",
    meta: {
        area: "frontdoor",
        rationale:
            "A stage variable is substituted into an integration's URI, Lambda function or VPC link at request time (API Gateway Developer Guide, \"Use stage variables for a REST API in API Gateway\", " +
            "https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html): a route whose target is a stage variable goes wherever the stage says, which no rule of the plan reads, and a stage edit changes it without a deployment of the program.",
        equivalents: {},
        afterUp: "an integration's target built from another resource's output (the VPC link's id) is known only after up; in preview only the literal parts are read.",
    },
    validateResource: [
        ofType("aws:apigateway/stage:Stage", (props, args, report) => {
            const vars = get(props, "variables");
            if (isRecord(vars) && Object.keys(vars).length > 0) {
                report(`${subject(args)} sets stage variables ${Object.keys(vars).sort().join(", ")}: a route that reads one goes where the stage says, not where the plan says. Fix: remove the stage's variables and write each integration's target into the integration.`);
            }
        }),
        ofType("aws:apigateway/integration:Integration", (props, args, report) => {
            for (const key of INTEGRATION_TARGETS) {
                // Peeked: a target built from another resource's output is unknown in preview and judged at up.
                const v = peek(props, key);
                if (typeof v === "string" && STAGE_VARIABLE.test(v)) {
                    report(`${subject(args)} ${key} = ${show(v)} takes its target from a stage variable. Fix: write the plan's target (the VPC link, the edge ALB, the function) into ${key}.`);
                }
            }
        }),
    ],
});
