import { TAG_KIND } from "../../lib/graph";
import { endpointPolicySupport, parseAwsServiceName } from "../../facts/endpoint-policy-support";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, str, tag } from "../../lib/values";

/** Whether a `policy` input is set at all (an empty string or document means none). */
function hasPolicy(policy: unknown): boolean {
    if (policy === undefined || policy === null) {
        return false;
    }
    if (typeof policy === "string") {
        return policy.trim() !== "" && policy.trim() !== "{}";
    }
    return typeof policy !== "object" || Object.keys(policy as object).length > 0;
}

export const endpointPolicySupported = resourceRule({
    name: "endpoint-policy-supported",
    description: "A VPC endpoint to an AWS service carries a policy only if the service accepts endpoint policies.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Remove `policy` from endpoints to services that accept only the full-access policy (the endpoint then gets AWS's default). " +
        "Check a service with `aws ec2 describe-vpc-endpoint-services --service-names com.amazonaws.<region>.<svc> --query 'ServiceDetails[].VpcEndpointPolicySupported'`. " +
        "The list the pack and the program share is policies/facts/endpoint-policy-support.ts.",
    meta: {
        area: "deployability",
        rationale:
            "AWS refuses CreateVpcEndpoint/ModifyVpcEndpoint with \"Service com.amazonaws.<region>.<svc> only supports the full-access endpoint policy\" when a policy is given to a service without endpoint-policy support " +
            "(VpcEndpointPolicySupported=false in EC2 DescribeVpcEndpointServices), even for a full-access document (awslabs/landing-zone-accelerator-on-aws#224). " +
            "ecs-agent and ecs-telemetry: awsdocs/amazon-ecs-developer-guide#55; oidc-eks: EKS user guide \"Access Amazon EKS using AWS PrivateLink\". `pulumi up` would fail at the endpoint.",
        afterUp: "an endpoint whose serviceName is built from outputs is unknown in preview.",
        equivalents: {},
    },
    validateResource: ofType("aws:ec2/vpcEndpoint:VpcEndpoint", (props, args, report) => {
        if (!hasPolicy(get(props, "policy"))) {
            return;
        }
        if (tag(props, TAG_KIND) === "mesh") {
            return; // a PrivateLink edge to another microservice's endpoint service
        }
        const serviceName = str(get(props, "serviceName"));
        const parsed = serviceName ? parseAwsServiceName(serviceName) : undefined;
        if (!parsed) {
            return;
        }
        const entry = endpointPolicySupport(parsed.service);
        if (entry?.support !== "full-access-only") {
            return; // supported, unverified, or not in the list: AWS decides (see remediation)
        }
        report(
            `${subject(args)} (serviceName ${serviceName}) sets policy, but ${parsed.service} accepts only the full-access endpoint policy: ` +
                `AWS will refuse the endpoint ("only supports the full-access endpoint policy"; source: ${entry.source}). ` +
                `Fix: remove policy from this endpoint (leave it unset); restrict access through the callers' IAM roles instead.`,
        );
    }),
});
