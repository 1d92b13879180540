import { PolicyResource } from "@pulumi/policy";
import { APIGW, inFrontDoor, Undecided } from "../../lib/apigateway";
import { frontDoorMethodName, OpenRoute, openRoutes } from "../../lib/front-door";
import { label, stackIndex } from "../../lib/graph";
import { reportAdvisory, stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { peek, present, show, UNKNOWN } from "../../lib/values";

const DESCRIPTION =
    "Every API Gateway method is authorized (AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizerId), unless it serves a route the catalog declares open (`auth: none` with a reason) or answers a CORS preflight itself (OPTIONS with a MOCK integration).";

/** Authorization types that authenticate the caller (API Gateway developer guide, "Control and manage access to REST APIs"). */
const NEEDS_AUTHORIZER = new Set(["COGNITO_USER_POOLS", "CUSTOM"]);

/** What a method name honours: the open route and the catalog method it serves, when the name and the HTTP method agree. */
export function honouredRoute(name: string, httpMethod: unknown, open: readonly OpenRoute[]): OpenRoute | undefined {
    for (const route of open) {
        for (const m of route.methods) {
            const base = frontDoorMethodName(route.service, route.path, m);
            if (name !== base && name !== `${base}-proxy`) {
                continue;
            }
            const wanted = m.toUpperCase();
            if (httpMethod === UNKNOWN || (typeof httpMethod === "string" && httpMethod.toUpperCase() === wanted)) {
                return route;
            }
        }
    }
    return undefined;
}

/** Whether an OPTIONS method is answered by API Gateway itself: an integration of type MOCK on the same resource and method. */
function mockPreflight(method: PolicyResource, integrations: readonly PolicyResource[]): boolean {
    const resourceUrns = new Set((method.propertyDependencies?.resourceId ?? []).map((d) => d?.urn));
    if (resourceUrns.size === 0) {
        return false;
    }
    return integrations.some((i) => {
        const sameResource = (i.propertyDependencies?.resourceId ?? []).some((d) => d && resourceUrns.has(d.urn));
        const hm = peek(i.props, "httpMethod");
        const sameMethod = hm === "OPTIONS" || (i.propertyDependencies?.httpMethod ?? []).some((d) => d?.urn === method.urn);
        return sameResource && sameMethod && peek(i.props, "type") === "MOCK";
    });
}

export const apigatewayMethodAuthorized = stackRule({
    name: "apigateway-method-authorized",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Set authorization: "AWS_IAM", or "COGNITO_USER_POOLS"/"CUSTOM" with authorizerId: <authorizer>.id; or, if the route is public on purpose, declare it in the catalog (expose.routes[].auth: none with a reason) so the front door creates it under its contract name. API keys alone are not authorization.',
    meta: {
        area: "frontdoor",
        rationale:
            "A method with authorization NONE lets anyone on the internet call the service behind it. AWS: \"Don't rely on API keys as your only means of authentication and authorization\" (API Gateway developer guide, usage plans); " +
            "browsers send CORS preflight (OPTIONS) requests without credentials, so an OPTIONS method answered by a MOCK integration (it never reaches a service) is allowed open (developer guide, \"Enabling CORS for a REST API resource\"). " +
            "Open routes are catalog data (expose auth: none + reason, policies/lib/front-door.ts), reported as advisory so a review sees them.",
        equivalents: { cdkNag: ["AwsSolutions-APIG4", "AwsSolutions-COG4"], checkov: ["CKV_AWS_59", "CKV2_AWS_70"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const methods = idx.ofType(APIGW.method);
        if (methods.length === 0) {
            return;
        }
        const open = openRoutes(configValue("services"));
        const integrations = idx.ofType(APIGW.integration);
        const honoured = new Map<string, string[]>();
        const undecided = new Undecided();
        for (const m of methods) {
            const auth = peek(m.props, "authorization");
            if (auth === UNKNOWN) {
                undecided.note(m, "authorization");
                continue;
            }
            if (typeof auth === "string" && (auth === "AWS_IAM" || (NEEDS_AUTHORIZER.has(auth) && present(m.props, "authorizerId")))) {
                continue;
            }
            if (typeof auth === "string" && NEEDS_AUTHORIZER.has(auth)) {
                report(`${label(m)} authorization = ${show(auth)} without an authorizerId: no authorizer runs. Fix: set authorizerId to the front door's ${auth === "CUSTOM" ? "Lambda" : "Cognito"} authorizer.`, m.urn);
                continue;
            }
            const httpMethod = peek(m.props, "httpMethod");
            if (auth === "NONE" || auth === undefined) {
                const route = inFrontDoor(m.urn) ? honouredRoute(m.name, httpMethod, open) : undefined;
                if (route) {
                    const key = `${route.service} ${route.path}`;
                    honoured.set(key, [...(honoured.get(key) ?? []), `${m.name} (${route.reason})`]);
                    continue;
                }
                if (httpMethod === "OPTIONS" && mockPreflight(m, integrations)) {
                    continue;
                }
            }
            report(
                `${label(m)} authorization = ${show(auth ?? "(unset)")} on ${show(httpMethod)}: anyone on the internet can call it, and no open route of the catalog is served by this name` +
                    `${inFrontDoor(m.urn) ? "" : " (it is not inside the front door)"}. Fix: set authorization to AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizerId, or declare the route auth: none with a reason in the catalog.`,
                m.urn,
            );
        }
        if (honoured.size > 0) {
            const list = [...honoured.entries()].map(([route, ms]) => `${route}: ${ms.join(", ")}`).join("; ");
            reportAdvisory(report, DESCRIPTION, `Open routes honoured from the catalog (auth: none with a reason): ${list}.`);
        }
        undecided.settle();
    },
});
