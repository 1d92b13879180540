import { PolicyResource } from "@pulumi/policy";
import { APIGW, Undecided } from "../../lib/apigateway";
import { CatalogRoute, catalogRoutes } from "../../lib/front-door";
import { covers, TracedRoute, traceRoutes } from "../../lib/front-door-routes";
import { label, stackIndex } from "../../lib/graph";
import { reportAdvisory, stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { peek, present, show, UNKNOWN } from "../../lib/values";

const DESCRIPTION =
    "Every API Gateway method is authorized (AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizerId), unless it serves a route the catalog declares open (`auth: none` with a reason) and its integration reaches that route's service, or answers a CORS preflight itself (OPTIONS with a MOCK integration).";

/** Authorization types that authenticate the caller (API Gateway developer guide, "Control and manage access to REST APIs"). */
const NEEDS_AUTHORIZER = new Set(["COGNITO_USER_POOLS", "CUSTOM"]);

/**
 * The open catalog route a method honours, by meaning: the route covers the
 * method's path and HTTP method, and the method's integration reaches that
 * route's service and nothing else. UNKNOWN while the destination is unknown
 * (preview); otherwise the route, or why none is honoured.
 */
export function honouredRoute(t: TracedRoute, open: readonly CatalogRoute[]): { route: CatalogRoute } | { why: string } | typeof UNKNOWN {
    if (t.verb === UNKNOWN) return UNKNOWN;
    const route = open.find((r) => covers(r, t.path, t.verb as string));
    if (!route) return { why: `${t.verb} ${t.path} is no open route of the catalog` };
    if (t.unknown) return UNKNOWN;
    const reached = [...t.services].sort();
    if (t.stoppedAt || reached.length !== 1 || reached[0] !== route.service) {
        return { why: `${t.verb} ${t.path} is ${route.service}'s open route, but the method's integration reaches ${reached.join(", ") || "no service"}${t.stoppedAt ? ` (${t.stoppedAt})` : ""}` };
    }
    return { route };
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
            "Open routes are catalog data (expose auth: none + reason, policies/lib/front-door.ts), honoured by where the method's integration goes (the route's service, traced through the VPC link, the edge ALB's listener rules and PrivateLink), never by the method's or path's name, and reported as advisory so a review sees them.",
        equivalents: { cdkNag: ["AwsSolutions-APIG4", "AwsSolutions-COG4"], checkov: ["CKV_AWS_59", "CKV2_AWS_70"] },
        afterUp:
            "an open route is honoured only when its integration reaches the route's service (lib/front-door-routes.ts); a VPC-link integration's URI carries the edge ALB's DNS name, known after up, so in preview an open route is undecided (a method that serves no open route is refused in preview).",
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const methods = idx.ofType(APIGW.method);
        if (methods.length === 0) {
            return;
        }
        const open = catalogRoutes(configValue("services")).filter((r) => r.auth === "none" && r.reason !== "");
        const traced = new Map(traceRoutes(idx).map((t) => [t.method.urn, t]));
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
            let why = "it serves no open route of the catalog";
            if (auth === "NONE" || auth === undefined) {
                const t = traced.get(m.urn)!;
                const h = honouredRoute(t, open);
                if (h === UNKNOWN) {
                    undecided.note(t.integration ?? m, t.integration ? "uri" : "httpMethod");
                    continue;
                }
                if ("route" in h) {
                    const key = `${h.route.service} ${h.route.path}`;
                    honoured.set(key, [...(honoured.get(key) ?? []), `${m.name} (${h.route.reason})`]);
                    continue;
                }
                if (httpMethod === "OPTIONS" && mockPreflight(m, integrations)) {
                    continue;
                }
                why = h.why;
            }
            report(
                `${label(m)} authorization = ${show(auth ?? "(unset)")} on ${show(httpMethod)}: anyone on the internet can call it, and ${why}. ` +
                    "Fix: set authorization to AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizerId, or declare the route auth: none with a reason in the catalog (the route's integration must reach that service).",
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
