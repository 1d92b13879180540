/**
 * The front door's values only the stack's owner can know, as needs-input
 * fields (see needsInput.ts): left as { needsInput: "..." } they plan as
 * absent and `pulumi up` refuses to start until each is set, so no
 * placeholder ever reaches AWS.
 */
import type { NeedsInputField } from "./needsInput";

const routeAuths = (services: unknown[]): Set<string> => {
    const out = new Set<string>();
    for (const s of services) {
        const e = isRecord(s) && isRecord(s.expose) ? s.expose : undefined;
        if (!e) continue;
        if (typeof e.auth === "string") out.add(e.auth);
        for (const r of Array.isArray(e.routes) ? e.routes : []) {
            if (isRecord(r) && typeof r.auth === "string") out.add(r.auth);
        }
    }
    return out;
};
const uses = (auth: string) => (services: unknown[]) => routeAuths(services).has(auth);
const exposes = (services: unknown[]) => services.some(s => isRecord(s) && s.expose !== undefined);

export const FRONT_DOOR_NEEDS_INPUT: readonly NeedsInputField[] = [
    {
        field: "platform.frontDoor.cognito.userPoolArn",
        what: "the Cognito user pool whose tokens `auth: cognito` routes accept (API Gateway's COGNITO_USER_POOLS authorizer)",
        howToFind: "`aws cognito-idp list-user-pools --max-results 60` gives the pool id; the ARN is arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>",
        example: "arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>",
        ifNone: "no route may use auth cognito: change those routes' auth",
        usedBy: uses("cognito"),
        scalar: true,
    },
    {
        field: "platform.frontDoor.jwt.issuer",
        what: "the issuer (iss claim) of the tokens `auth: lambda` routes accept",
        howToFind: "the `issuer` field of your identity provider's /.well-known/openid-configuration",
        example: "https://login.example.com/",
        ifNone: "no route may use auth lambda: change those routes' auth",
        usedBy: uses("lambda"),
        scalar: true,
    },
    {
        field: "platform.frontDoor.jwt.audiences",
        what: "the audiences (aud claim) the lambda authorizer accepts: your API's client or resource identifiers at the issuer",
        howToFind: "your identity provider's app registration for this API (client id or API identifier)",
        example: "<client id>",
        ifNone: "no route may use auth lambda: change those routes' auth",
        usedBy: uses("lambda"),
    },
    {
        field: "platform.frontDoor.jwt.jwks",
        what:
            "the issuer's public keys (its JWKS document, as JSON): the lambda authorizer runs in the edge VPC without internet, " +
            "so it verifies tokens against these and never fetches them; update them when the issuer rotates keys",
        howToFind: "`curl -s <jwks_uri>` where jwks_uri is in the issuer's /.well-known/openid-configuration (run it where there is internet)",
        example: "\"$(curl -s https://login.example.com/.well-known/jwks.json)\"",
        ifNone: "no route may use auth lambda: change those routes' auth",
        usedBy: uses("lambda"),
        scalar: true,
    },
    {
        field: "platform.frontDoor.domain.name",
        what: "the custom domain name of the API (a name in a DNS zone you control), served with TLS 1.2",
        howToFind: "choose it in your DNS zone, e.g. api.<your domain>; after `pulumi up`, point it (CNAME or alias) at the stack output frontDoor.domainTarget",
        example: "api.example.com",
        ifNone: "remove platform.frontDoor.domain: clients use the execute-api invoke URL",
        usedBy: exposes,
        scalar: true,
    },
    {
        field: "platform.frontDoor.domain.certificateArn",
        what: "the ACM certificate for the custom domain, in the stack's region (a regional API endpoint)",
        howToFind: "`aws acm list-certificates --region <stack region>`; request one with `aws acm request-certificate --domain-name <name> --validation-method DNS`",
        example: "arn:aws:acm:<region>:<account>:certificate/<id>",
        ifNone: "remove platform.frontDoor.domain: clients use the execute-api invoke URL",
        usedBy: exposes,
        scalar: true,
    },
];

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
