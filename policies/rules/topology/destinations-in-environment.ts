import { DESTINATIONS } from "../../facts/destinations";
import { destinationValues, whereTo } from "../../lib/destinations";
import { expiryProblem, MIN_REASON_LENGTH, nowOf } from "../../lib/exemptions";
import { globMatch } from "../../lib/glob";
import { environmentIdentity, IDENTITY_CONFIG_SCHEMA, IdentityConfig } from "../../lib/identity";
import { ownAccounts } from "../../lib/identity-plan";
import { planGraph } from "../../lib/plan/graph";
import { stackRule } from "../../lib/rule";
import { asArray, get, show, str, UNKNOWN } from "../../lib/values";

const DESCRIPTION =
    "Every property that sends data somewhere, pulls code or trust from somewhere, or encrypts under someone's key (logs, flow logs, dead letters, subscriptions, targets, layers, images, keys: policies/facts/destinations.ts) points into the environment, or to a declared external destination with a reason and an expiry.";

interface External {
    destination: string;
    reason: string;
    expires: string;
    problem?: string;
}

/** An external destination's pattern must fix at least this many literal characters (a host, a bucket, an ARN's prefix). */
const MIN_LITERAL = 8;

/** The characters a pattern fixes beyond a scheme (`https://`) or an ARN's partition prefix (`arn:aws:`). */
function literalPart(pattern: string): string {
    return pattern.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^arn:[^:]*:/, "").replace(/[*?]/g, "");
}

function externals(raw: unknown, now: Date): External[] {
    return asArray(raw).map((e) => {
        const destination = str(get(e, "destination"))?.trim() ?? "";
        const reason = str(get(e, "reason"))?.trim() ?? "";
        const expires = str(get(e, "expires")) ?? "";
        const out: External = { destination, reason, expires };
        if (literalPart(destination).length < MIN_LITERAL) out.problem = `pattern ${JSON.stringify(destination)} fixes fewer than ${MIN_LITERAL} characters besides its scheme: it would declare every destination`;
        else if (reason.length < MIN_REASON_LENGTH) out.problem = `has no reason (at least ${MIN_REASON_LENGTH} characters)`;
        else out.problem = expiryProblem(expires, now);
        return out;
    });
}

export const destinationsInEnvironment = stackRule({
    name: "destinations-in-environment",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Point the property at a resource of the stack or of an account of the environment; declare a destination outside it in this policy's externalDestinations with a reason and an expiry.",
    configSchema: {
        properties: {
            ...IDENTITY_CONFIG_SCHEMA,
            externalDestinations: {
                type: "array",
                description: `Destinations outside the environment, declared: {destination (a value or glob, * and ?, at least ${MIN_LITERAL} literal characters), reason (>= 10 chars), expires (ISO date at most 180 days ahead)}.`,
                items: { type: "object", properties: { destination: { type: "string" }, reason: { type: "string" }, expires: { type: "string" } } },
                default: [],
            },
        },
    },
    meta: {
        area: "topology",
        afterUp:
            "a destination built from another resource's output (a queue's ARN) is unknown in preview; when it depends on a resource of the plan it is inside, otherwise the engine reports that the rule could not run.",
        rationale:
            "Data leaves through AWS-side relays with no network path: a dead-letter queue, a flow log, an SNS subscription or a log bucket in another account, a Lambda layer or an image published by another account, " +
            "a key someone else controls. Each property is an edge of the graph like a route (Amazon SQS Developer Guide, dead-letter queues in another account; VPC User Guide, \"Flow logs\" delivered across accounts; " +
            "Lambda Developer Guide, \"Managing Lambda dependencies with layers\", layers shared across accounts).",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const cfg = args.getConfig<IdentityConfig & { externalDestinations?: unknown }>();
        const now = nowOf(args);
        const declared = externals(cfg.externalDestinations, now);
        for (const e of declared.filter((x) => x.problem)) {
            report(`externalDestinations entry ${JSON.stringify(e.destination)} ${e.problem}: it declares nothing. Fix: name the destination (a value or a narrow glob), give a reason and an ISO expiry within 180 days, or remove it.`);
        }
        const g = planGraph(args.resources);
        const set = environmentIdentity(cfg, now);
        const accounts = ownAccounts(set);
        const types = new Set(DESTINATIONS.map((d) => d.type));
        let deferred = false;
        for (const n of g.nodes) {
            if (!types.has(n.type) || n.record?.op === "read") continue;
            for (const dv of destinationValues(n)) {
                const top = dv.property.path.split(/[.{[]/)[0];
                if (dv.value === UNKNOWN) {
                    // Unknown before up: inside when it comes from a resource of the plan, else the verdict waits for up.
                    const fromPlan = g.depsOf(n, top).some((d) => d.record?.op !== "read");
                    if (!fromPlan && !deferred) {
                        deferred = true;
                        get(args.resources[n.index].props, top);
                    }
                    continue;
                }
                if (typeof dv.value !== "string") continue;
                const where = whereTo(g, dv.property.kind, dv.value, accounts.own);
                if (where.inside) continue;
                // Without the deploying account (identity-accounts-declared says so once) an account may be the stack's own.
                if (where.account && /^\d{12}$/.test(where.account) && !set.deployingDeclared) continue;
                const ext = declared.find((e) => !e.problem && globMatch(e.destination, dv.value as string));
                if (ext) continue;
                report(
                    `${n.type} "${n.name}" ${dv.path} sends ${dv.property.carries} to ${show(dv.value)}: ${where.why}. ` +
                        `Fix: point it at a resource of the stack or an account of the environment, or declare it in destinations-in-environment.externalDestinations with a reason and an expiry.`,
                    n.urn,
                );
            }
        }
    },
});
