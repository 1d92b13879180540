import { APIGW, Undecided } from "../../lib/apigateway";
import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { peek, present, show, UNKNOWN } from "../../lib/values";

const VPC_LINK_TYPES = new Set<string>([APIGW.vpcLink, APIGW.vpcLinkV2]);

export const apigatewayIntegrationPrivate = stackRule({
    name: "apigateway-integration-private",
    description:
        "API Gateway integrations reach services only privately: HTTP/HTTP_PROXY over the front door's VPC link (connectionType VPC_LINK with a connectionId from a VPC link of this stack), AWS_PROXY to a Lambda function of this stack, or MOCK; never an INTERNET integration to a URL, nor an AWS service integration.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Route the method through the front door: connectionType: "VPC_LINK", connectionId: <vpcLink>.id (with integrationTarget: the edge load balancer), or type: "AWS_PROXY" with uri: <function>.invokeArn of the service\'s own function.',
    meta: {
        area: "frontdoor",
        rationale:
            "An INTERNET integration sends the caller's request to a public URL: the service would have to face the internet, outside PrivateLink. Private integrations go through a VPC link to a load balancer in the edge VPC " +
            "(API Gateway developer guide, \"Private integrations for REST APIs in API Gateway\" and \"Set up a VPC link V2\"; integrationTarget in @pulumi/aws 7.48), and Lambda proxy integrations invoke a function of the stack through the Lambda API.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const undecided = new Undecided();
        for (const i of idx.ofType(APIGW.integration)) {
            const type = peek(i.props, "type");
            const connectionType = peek(i.props, "connectionType");
            const uri = peek(i.props, "uri");
            if (type === UNKNOWN || connectionType === UNKNOWN) {
                undecided.note(i, type === UNKNOWN ? "type" : "connectionType");
                continue;
            }
            if (type === "MOCK") {
                continue;
            }
            if (connectionType === "VPC_LINK") {
                const links = idx.propDeps(i, "connectionId");
                if (!present(i.props, "connectionId")) {
                    report(`${label(i)} connectionType = "VPC_LINK" without a connectionId. Fix: set connectionId: <vpcLink>.id of the front door's VPC link.`, i.urn);
                } else if (links.length > 0 && !links.some((l) => VPC_LINK_TYPES.has(l.type))) {
                    report(`${label(i)} connectionId comes from ${links.map((l) => l.type).join(", ")}, not a VPC link. Fix: set connectionId: <vpcLink>.id.`, i.urn);
                } else if (type !== "HTTP" && type !== "HTTP_PROXY") {
                    report(`${label(i)} type = ${show(type ?? null)} over a VPC link. Fix: use type "HTTP_PROXY" (or "HTTP") with the VPC link.`, i.urn);
                }
                continue;
            }
            if (type === "AWS_PROXY") {
                const fns = idx.propDeps(i, "uri").filter((d) => d.type === APIGW.lambda);
                if (fns.length === 0) {
                    report(`${label(i)} type = "AWS_PROXY" with uri = ${show(uri ?? null)}, which is not a Lambda function of this stack. Fix: set uri: <function>.invokeArn of the service's own function.`, i.urn);
                }
                continue;
            }
            report(
                `${label(i)} type = ${show(type ?? null)}, connectionType = ${show(connectionType ?? "INTERNET")}, uri = ${show(uri ?? null)}: ` +
                    `${type === "AWS" ? "an AWS service integration reaches an AWS API outside the services' endpoints" : "the request leaves API Gateway for a public URL"}. ` +
                    'Fix: connectionType: "VPC_LINK" with the front door\'s VPC link, or AWS_PROXY to the service\'s own function.',
                i.urn,
            );
        }
        undecided.settle();
    },
});
