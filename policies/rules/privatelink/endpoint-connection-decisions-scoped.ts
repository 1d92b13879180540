import { UnknownValueError } from "@pulumi/policy";
import { endpointServiceOwner, readCatalog } from "../../lib/catalog";
import { hasWildcard } from "../../lib/glob";
import { label, stackIndex, TYPES } from "../../lib/graph";
import { PERMISSION_DOC_TYPES, permissionDocuments } from "../../lib/iam";
import { grantsAction, parsePolicyDocument, statementName } from "../../lib/policydoc";
import { stackRule } from "../../lib/rule";
import { peek, UNKNOWN } from "../../lib/values";

/** The two actions that decide a connection to an endpoint service (Service Authorization Reference, "Actions defined by Amazon EC2"). */
const DECISIONS = ["ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections"];

export const endpointConnectionDecisionsScoped = stackRule({
    name: "endpoint-connection-decisions-scoped",
    description:
        "A permission to accept or reject endpoint connections (ec2:AcceptVpcEndpointConnections, ec2:RejectVpcEndpointConnections, or a wildcard that grants them) names, by ARN, only endpoint services of this stack whose catalog service has subscribers: the subscription handler's, never every endpoint service.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Grant the actions on arn:<partition>:ec2:<region>:<account>:vpc-endpoint-service/<id> of the stack's endpoint services with subscribers only (components/subscriptionHandler.ts does); give a consumer in another account a subscriber entry in the catalog instead of a role that accepts.",
    meta: {
        area: "privatelink",
        rationale:
            "Accepting a connection lets another account's VPC reach a service; whoever may accept on every endpoint service (Resource \"*\", vpc-endpoint-service/*) can open any service of the account to anyone its allowed principals admit. Both actions are authorized against the vpc-endpoint-service resource type (Service Authorization Reference, \"Actions defined by Amazon EC2\": https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html), so they can be scoped by ARN; the decisions belong to the catalog's subscribers (docs/saas.md).",
        afterUp: "the policy document names the endpoint services by their ARNs, which are known after up.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const catalog = readCatalog();
        const idx = stackIndex(args.resources);
        // The endpoint services a decision may name: this stack's, whose catalog service has subscribers.
        const decided = new Map<string, string>();
        const others = new Map<string, string>();
        let arnUnknown = false;
        for (const svc of idx.ofType(TYPES.endpointService)) {
            const arn = peek(svc.props, "arn");
            if (arn === UNKNOWN || typeof arn !== "string") {
                arnUnknown = true;
                continue;
            }
            const owner = endpointServiceOwner(idx, svc);
            const name = owner === UNKNOWN || owner === undefined ? "?" : owner;
            (catalog?.services.get(name)?.hasSubscribers ? decided : others).set(arn, name);
        }
        let unknown: unknown;
        for (const r of args.resources.filter((x) => PERMISSION_DOC_TYPES.includes(x.type))) {
            let docs;
            try {
                docs = permissionDocuments(r.type, r.props).map((ref) => ({ where: ref.where, parsed: parsePolicyDocument(ref.doc) }));
            } catch (e) {
                if (!(e instanceof UnknownValueError)) throw e;
                unknown = e;
                continue;
            }
            for (const { where, parsed } of docs) {
                for (const s of parsed.statements) {
                    const granted = DECISIONS.filter((a) => grantsAction(s, a));
                    if (granted.length === 0) continue;
                    const what = `${label(r)} ${where} statement ${statementName(s)} may ${granted.map((a) => a.slice(4)).join(" and ")}`;
                    if (!s.resources) {
                        report(`${what} on everything but ${JSON.stringify(s.notResources ?? [])}: every endpoint service. Fix: name the stack's endpoint services with subscribers by ARN.`, r.urn);
                        continue;
                    }
                    for (const res of s.resources) {
                        if (hasWildcard(res)) {
                            report(`${what} on ${JSON.stringify(res)}, which matches every endpoint service it covers, not only this stack's with subscribers. Fix: list arn:...:vpc-endpoint-service/<id> of those services.`, r.urn);
                        } else if (decided.has(res)) {
                            continue;
                        } else if (others.has(res)) {
                            report(`${what} on ${res}, the endpoint service of "${others.get(res)}", which has no subscribers in the catalog: its connections are the stack's own (accepted at up). Fix: remove it, or give "${others.get(res)}" subscribers.`, r.urn);
                        } else if (!arnUnknown) {
                            report(`${what} on ${JSON.stringify(res)}, which is no endpoint service of this stack. Fix: remove it; another stack's services are decided by that stack's handler.`, r.urn);
                        }
                    }
                }
            }
        }
        if (unknown !== undefined) throw unknown;
    },
});
