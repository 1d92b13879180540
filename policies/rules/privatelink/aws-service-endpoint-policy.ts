import { endpointPolicySupport, parseAwsServiceName } from "../../facts/endpoint-policy-support";
import { TAG_KIND } from "../../lib/graph";
import { parsePolicyDocument, statementName, wildcardPrincipalGrants } from "../../lib/policydoc";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, str, tag, text, UNKNOWN } from "../../lib/values";

export const awsServiceEndpointPolicy = resourceRule({
    name: "aws-service-endpoint-policy",
    description: "Interface and gateway endpoints to AWS services that accept endpoint policies carry a restrictive one.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Give each AWS-service endpoint whose service accepts endpoint policies a policy limited to principals of your account (aws:PrincipalAccount) or to the actions and resources the VPC's runtimes use. " +
        "On an S3 endpoint of a VPC that pulls ECR images, keep a separate statement allowing s3:GetObject on arn:<partition>:s3:::prod-<region>-starport-layer-bucket/* for Principal \"*\" WITHOUT an account condition: " +
        "ECR's presigned layer URLs are signed by an ECR account (ECR user guide, \"Minimum Amazon S3 bucket permissions for Amazon ECR\"). " +
        "Set no policy on services that accept only the full-access policy (ecs-agent, ecs-telemetry, oidc-eks; see policies/facts/endpoint-policy-support.ts and `aws ec2 describe-vpc-endpoint-services`).",
    meta: {
        afterUp: "an endpoint policy that names ARNs or the account from outputs is unknown in preview.",
        area: "privatelink",
        rationale:
            "The default endpoint policy allows any principal any action on any resource through the endpoint, including other accounts' buckets (an exfiltration path). " +
            "Only services with VpcEndpointPolicySupported accept another policy (AWS PrivateLink guide, \"Control access to VPC endpoints using endpoint policies\").",
        equivalents: {},
    },
    validateResource: ofType("aws:ec2/vpcEndpoint:VpcEndpoint", (props, args, report) => {
        const kind = tag(props, TAG_KIND);
        if (kind === "mesh") {
            return;
        }
        if (kind !== "aws-service") {
            const sn = str(get(props, "serviceName"));
            if (!sn || !sn.startsWith("com.amazonaws.") || sn.startsWith("com.amazonaws.vpce.")) {
                return;
            }
        }
        if (kind === UNKNOWN) {
            return;
        }
        const parsedName = parseAwsServiceName(str(get(props, "serviceName")) ?? "");
        const support = parsedName ? endpointPolicySupport(parsedName.service)?.support : undefined;
        if (support === "full-access-only" || support === "unverified") {
            return; // AWS refuses (or may refuse) any policy here: endpoint-policy-supported owns this case
        }
        const policy = get(props, "policy");
        if (policy === undefined || policy === null || policy === "") {
            report(`${subject(args)} (serviceName ${text(get(props, "serviceName"))}) has no endpoint policy, so the default allows everything. Fix: set policy to a document scoped to principals of your account (aws:PrincipalAccount) or to the actions and resources the VPC needs${parsedName?.service === "s3" ? ", plus a statement allowing s3:GetObject on arn:<partition>:s3:::prod-<region>-starport-layer-bucket/* with no account condition (ECR image layers)" : ""}${support === undefined ? " (first check that the service accepts one: VpcEndpointPolicySupported in aws ec2 describe-vpc-endpoint-services)" : ""}.`);
            return;
        }
        const doc = parsePolicyDocument(policy);
        if (doc.error) {
            report(`${subject(args)} policy ${doc.error}. Fix: pass a valid JSON policy document.`);
            return;
        }
        const open = new Set(wildcardPrincipalGrants(doc).map((g) => g.statement));
        for (const s of doc.statements) {
            if (s.effect !== "Allow" || !(open.has(s) || s.principals === undefined)) {
                continue;
            }
            const allActions = (s.actions ?? []).includes("*") || s.notActions !== undefined;
            const allResources = (s.resources ?? []).includes("*") || s.resources === undefined;
            if (allActions && allResources && Object.keys(s.conditions).length === 0) {
                report(`${subject(args)} policy statement ${statementName(s)} allows every principal every action on every resource (Action "*", Resource "*"). Fix: restrict Action and Resource, or add an aws:PrincipalAccount condition${parsedName?.service === "s3" ? " and keep a separate statement allowing s3:GetObject on arn:<partition>:s3:::prod-<region>-starport-layer-bucket/* with no account condition, or ECR image pulls fail" : ""}.`);
            }
        }
    }),
});
