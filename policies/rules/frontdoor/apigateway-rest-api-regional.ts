import { APIGW, endpointTypes } from "../../lib/apigateway";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, show, UNKNOWN } from "../../lib/values";

export const apigatewayRestApiRegional = resourceRule({
    name: "apigateway-rest-api-regional",
    description: "Every API Gateway REST API is REGIONAL (endpointConfiguration.types), the front door's one endpoint type.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: 'Set endpointConfiguration: { types: "REGIONAL" } on the RestApi (the provider defaults to EDGE).',
    meta: {
        area: "frontdoor",
        rationale:
            "An EDGE API is served through an AWS-managed CloudFront distribution; a PRIVATE API is reachable only from interface endpoints and needs a resource policy, which is a different design. " +
            "The front door is a regional REST API whose stage carries the WAF association (API Gateway developer guide, \"API endpoint types for REST APIs in API Gateway\"; issue 10).",
        equivalents: {},
    },
    validateResource: ofType(APIGW.restApi, (props, args, report) => {
        const types = endpointTypes(props);
        if (types === UNKNOWN) {
            void get(get(props, "endpointConfiguration"), "types"); // the engine reports it as undecided in preview
            return;
        }
        if (types === undefined || types.length !== 1 || types[0] !== "REGIONAL") {
            report(`${subject(args)} endpointConfiguration.types = ${show(types ?? "(unset: EDGE)")}. Fix: set endpointConfiguration: { types: "REGIONAL" }.`);
        }
    }),
});
