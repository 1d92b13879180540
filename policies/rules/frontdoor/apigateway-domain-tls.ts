import { APIGW, endpointTypes, tls12OrStricter } from "../../lib/apigateway";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, show, UNKNOWN } from "../../lib/values";

export const apigatewayDomainTls = resourceRule({
    name: "apigateway-domain-tls",
    description: "API Gateway custom domain names are regional and use a TLS 1.2+ security policy (TLS_1_2 or an enhanced SecurityPolicy_TLS12_*/SecurityPolicy_TLS13_* policy).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set securityPolicy: "TLS_1_2" (or an enhanced policy such as "SecurityPolicy_TLS13_1_3_2025_09" with endpointAccessMode), endpointConfiguration: { types: "REGIONAL" } and regionalCertificateArn.',
    meta: {
        area: "frontdoor",
        rationale:
            "A TLS_1_0 policy accepts TLS 1.0 from clients; TLS_1_2 refuses it (API Gateway developer guide, \"Choose a security policy for your custom domain in API Gateway\"). " +
            "An EDGE domain is fronted by an AWS-managed CloudFront distribution outside the stage's WAF association and the front door's regional design.",
        equivalents: { checkov: ["CKV_AWS_206"], compliancePolicies: ["aws-apigateway-domainname-configure-security-policy"] },
    },
    validateResource: ofType(APIGW.domainName, (props, args, report) => {
        const policy = get(props, "securityPolicy");
        if (!tls12OrStricter(policy)) {
            report(
                `${subject(args)} securityPolicy = ${show(policy ?? "(unset: TLS_1_0)")} admits TLS 1.0 clients. Fix: set securityPolicy: "TLS_1_2" (or an enhanced SecurityPolicy_TLS13_* policy).`,
            );
        }
        const types = endpointTypes(props);
        if (types === UNKNOWN) {
            void get(get(props, "endpointConfiguration"), "types"); // the engine reports it as undecided in preview
        } else if (types === undefined || types.length !== 1 || types[0] !== "REGIONAL") {
            report(`${subject(args)} endpointConfiguration.types = ${show(types ?? "(unset: EDGE)")}. Fix: set endpointConfiguration: { types: "REGIONAL" } with a regionalCertificateArn.`);
        }
    }),
});
