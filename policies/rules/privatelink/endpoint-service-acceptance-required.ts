import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const endpointServiceAcceptanceRequired = resourceRule({
    name: "endpoint-service-acceptance-required",
    description: "Every VPC endpoint service requires manual acceptance of connections.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set acceptanceRequired: true on the aws.ec2.VpcEndpointService and accept declared consumers' connections (aws.ec2.VpcEndpointConnectionAccepter).",
    meta: {
        area: "privatelink",
        rationale: "Acceptance is the provider's second gate after the principal allow-list: no endpoint connects that the provider did not accept.",
        equivalents: { checkov: ["CKV_AWS_123"] },
    },
    validateResource: ofType("aws:ec2/vpcEndpointService:VpcEndpointService", (props, args, report) => {
        const v = get(props, "acceptanceRequired");
        if (bool(v) !== true) {
            report(`${subject(args)} acceptanceRequired = ${show(v ?? null)}. Fix: set acceptanceRequired: true.`);
        }
    }),
});
