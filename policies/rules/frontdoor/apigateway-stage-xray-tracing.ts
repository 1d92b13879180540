import { APIGW } from "../../lib/apigateway";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const apigatewayStageXrayTracing = resourceRule({
    name: "apigateway-stage-xray-tracing",
    description: "Every API Gateway stage has X-Ray active tracing on (xrayTracingEnabled: true).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set xrayTracingEnabled: true on the stage.",
    meta: {
        area: "frontdoor",
        rationale:
            "Tracing follows a request from the stage through the integration to the service, which is how an unexpected path through the front door is seen (API Gateway developer guide, \"Tracing user requests to REST APIs using X-Ray\"; AWS Security Hub control APIGateway.3).",
        equivalents: { cdkNag: ["PCI.DSS.321-APIGWXrayEnabled"], checkov: ["CKV_AWS_73"] },
    },
    validateResource: ofType(APIGW.stage, (props, args, report) => {
        const v = get(props, "xrayTracingEnabled");
        if (bool(v) !== true) {
            report(`${subject(args)} xrayTracingEnabled = ${show(v ?? false)}${v === undefined ? " (default false)" : ""}. Fix: set xrayTracingEnabled: true.`);
        }
    }),
});
