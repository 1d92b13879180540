import { APIGW, tls12OrStricter } from "../../lib/apigateway";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const apigatewayRestApiTls = resourceRule({
    name: "apigateway-rest-api-tls",
    description:
        "A REST API's default execute-api endpoint uses a TLS 1.2+ security policy (securityPolicy TLS_1_2 or an enhanced SecurityPolicy_TLS12_*/SecurityPolicy_TLS13_* policy), unless the default endpoint is disabled.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set securityPolicy: "TLS_1_2" on the RestApi (or an enhanced policy with endpointAccessMode), or disableExecuteApiEndpoint: true when clients use the custom domain only.',
    meta: {
        area: "frontdoor",
        rationale:
            "Without a security policy, a regional or edge-optimized API's default endpoint (https://<id>.execute-api.<region>.amazonaws.com) accepts TLS 1.0 even when its custom domain is TLS 1.2 (API Gateway developer guide, \"Security policies for REST APIs in API Gateway\" and \"Choose a security policy for your custom domain\": default endpoint policy TLS-1-0 for regional APIs). " +
            "securityPolicy on the RestApi: @pulumi/aws 7.48 apigateway/restApi.",
        equivalents: {},
    },
    validateResource: ofType(APIGW.restApi, (props, args, report) => {
        if (bool(get(props, "disableExecuteApiEndpoint")) === true) {
            return;
        }
        const policy = get(props, "securityPolicy");
        if (!tls12OrStricter(policy)) {
            report(
                `${subject(args)} securityPolicy = ${show(policy ?? "(unset: TLS_1_0 on the default endpoint)")} lets clients of https://<id>.execute-api.<region>.amazonaws.com negotiate TLS 1.0. ` +
                    'Fix: set securityPolicy: "TLS_1_2" (or disableExecuteApiEndpoint: true behind a TLS 1.2 custom domain).',
            );
        }
    }),
});
