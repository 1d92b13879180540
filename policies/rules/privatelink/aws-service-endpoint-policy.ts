import { TAG_KIND } from "../../lib/graph";
import { parsePolicyDocument, statementName, wildcardPrincipalGrants } from "../../lib/policydoc";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, str, tag, text, UNKNOWN } from "../../lib/values";

export const awsServiceEndpointPolicy = resourceRule({
    name: "aws-service-endpoint-policy",
    description: "Interface and gateway endpoints to AWS services carry a restrictive endpoint policy.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Give each AWS-service endpoint a policy that allows only the actions and resources the VPC's runtimes use (e.g. ecr:BatchGetImage on the service's repository, s3:GetObject on the ECR layer bucket).",
    meta: {
        afterUp: "an endpoint policy that names ARNs or the account from outputs is unknown in preview.",
        area: "privatelink",
        rationale: "The default endpoint policy allows any principal any action on any resource through the endpoint, including other accounts' buckets (an exfiltration path).",
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
        const policy = get(props, "policy");
        if (policy === undefined || policy === null || policy === "") {
            report(`${subject(args)} (serviceName ${text(get(props, "serviceName"))}) has no endpoint policy, so the default allows everything. Fix: set policy to a document scoped to the actions and resources the VPC needs.`);
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
                report(`${subject(args)} policy statement ${statementName(s)} allows every principal every action on every resource (Action "*", Resource "*"). Fix: restrict Action and Resource, or add an aws:PrincipalAccount condition.`);
            }
        }
    }),
});
