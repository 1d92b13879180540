import { APIGW, inFrontDoor, platformFrontDoor } from "../../lib/apigateway";
import { PolicyResource } from "@pulumi/policy";
import { PLATFORM_COMPONENT } from "../../lib/allowed-types";
import { FRONT_DOOR_COMPONENT } from "../../lib/front-door";
import { label, stackIndex } from "../../lib/graph";
import { FRONT_DOOR_FACING, internetFacing } from "../../lib/internet-facing";
import { stackRule } from "../../lib/rule";

export const frontdoorOnlyInternetFacing = stackRule({
    name: "frontdoor-only-internet-facing",
    description:
        `The front door (${FRONT_DOOR_COMPONENT}) is the only internet-facing part of the stack: its REST API, stage and custom domain (with the stage's WAF) may face the internet; nothing else, inside or outside it, does (public APIs, stages, function URLs, distributions, public load balancers, addresses, gateways).`,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Expose services through the catalog's expose block (the front door's REST API, one stage with its WAF); remove any other internet-facing resource, or make it private (internal load balancer, no public IP, PRIVATE API).",
    meta: {
        area: "frontdoor",
        rationale:
            "Issue 10 / AWS microservices guidance: one API front door handles authentication, throttling and filtering for every client. A second internet-facing resource is a door without those controls, and the edge VPC behind the front door has no internet gateway because API Gateway is the managed edge. " +
            "The front door is known by identity: the component the platform created (its parent is the stack's one platform component, by URN), not any component whose type token reads like it.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const { door, impostors } = platformFrontDoor(idx);
        for (const c of impostors) {
            report(
                `${label(c)} carries the front door's type token (${FRONT_DOOR_COMPONENT}) but is not the platform's front door (the one front door whose parent is the stack's one ${PLATFORM_COMPONENT}): nothing inside it is trusted as the front door. ` +
                    "Fix: remove it; expose services only through the catalog's expose block, which the platform's front door serves.",
                c.urn,
            );
        }
        const apis: PolicyResource[] = [];
        for (const r of args.resources) {
            const why = internetFacing(r.type, r.props);
            if (!why) {
                continue;
            }
            const inside = inFrontDoor(idx, r);
            if (inside && FRONT_DOOR_FACING.has(r.type)) {
                if (r.type === APIGW.restApi) apis.push(r);
                continue;
            }
            report(
                `${label(r)} is ${why}, ${inside ? "inside the front door, which may face the internet only through its REST API, stage and custom domain" : "outside the platform's front door"}. ` +
                    "Fix: remove it or make it private; expose services only through the catalog's expose block.",
                r.urn,
            );
        }
        if (door && apis.length > 1) {
            report(`The front door holds ${apis.length} REST APIs (${apis.map((r) => r.name).join(", ")}): it has exactly one. Fix: route every exposed service through the one REST API.`, apis[1].urn);
        }
    },
});
