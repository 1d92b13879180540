import { PolicyResource } from "@pulumi/policy";
import { actionMatches, globMatch } from "../../lib/glob";
import { label, stackIndex } from "../../lib/graph";
import { TAGS } from "../../lib/plan/types";
import { parsePolicyDocument, Statement, statementName } from "../../lib/policydoc";
import { roleDocuments } from "../../lib/role-documents";
import { stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { dataActionsOf, dataGrants, dataPlaneActions, DataType, readNeeds, SECRET_API, ServiceNeeds, STORE_RESOURCE_TYPES } from "../../lib/service-needs";
import { get, peek, tag, UNKNOWN } from "../../lib/values";

/** Resource policies of stores: type -> the property naming the store, and the one holding the document. */
const STORE_POLICIES: Readonly<Record<string, string>> = {
    "aws:dynamodb/resourcePolicy:ResourcePolicy": "resourceArn",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket",
    "aws:sqs/queuePolicy:QueuePolicy": "queueUrl",
    "aws:sns/topicPolicy:TopicPolicy": "arn",
};

interface StoreView {
    r: PolicyResource;
    owner: string;
    data: string;
    type: DataType;
    /** ARNs a statement may name it by (a bucket's objects too). */
    arns: string[];
    /** For a dead-letter queue: the declared queue it serves (its owner alone may use it). */
    deadLetterOf?: string;
}

/** Whether a statement's resources reach the store (a glob, `*`, or a NotResource form: everything else). */
function touches(s: Statement, store: StoreView): boolean {
    if (s.resources) return s.resources.some((p) => store.arns.some((arn) => globMatch(p, arn)));
    return s.notResources !== undefined && !s.notResources.some((p) => store.arns.some((arn) => globMatch(p, arn)));
}

/** What the catalog lets `service` do on a store: its grants' actions (the owner alone on a dead-letter queue). */
function allowed(service: string | undefined, store: StoreView, grants: ReturnType<typeof dataGrants>): Set<string> {
    if (service === undefined) return new Set();
    if (store.deadLetterOf !== undefined) return new Set(service === store.owner ? dataPlaneActions("sqs") : []);
    return new Set(grants.filter((g) => g.principal === service && g.owner === store.owner && g.data === store.data).flatMap((g) => g.actions));
}

/** Whether a secret-reading statement's resource is one of the service's declared secrets. */
function declaredSecret(resource: string, own: ServiceNeeds | undefined): boolean {
    return (own?.secrets ?? []).some((x) =>
        x.ref.startsWith("arn:") ? resource === x.ref : resource.endsWith(`:parameter/${x.ref.replace(/^\//, "")}`),
    );
}

const SECRET_ACTIONS = [...SECRET_API.secretsManager.actions, ...SECRET_API.ssm.actions, "ssm:GetParameter", "ssm:GetParametersByPath"];

export const dataGrantsDeclared = stackRule({
    name: "data-grants-declared",
    description:
        "Default-deny on what a service may do with data: every IAM and resource-policy grant on a store a service owns (DynamoDB table, S3 bucket, SQS queue, SNS topic) " +
        "and every secret read traces to the catalog's data, uses or secrets of that service; a store's resource policy admits only roles of the stack's services.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Declare the need in the catalog (the store in the owner's data, the access in the user's uses: [{service, data, access}], the secret in its secrets) and let the platform derive the grant, or remove the statement.",
    meta: {
        area: "iam",
        rationale:
            "The catalog is the one statement of what a service may touch; a grant it does not declare (a planted statement, a wildcard action or resource, a resource policy admitting another principal) " +
            "lets a service read or change data nobody reviewed. Actions per store type: Service Authorization Reference (DynamoDB, S3, SQS, SNS); secrets: ECS Developer Guide, \"Required IAM permissions for Amazon ECS secrets\".",
        afterUp: "policy documents name ARNs of resources created in the same run, unknown in preview.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const raw = configValue("services");
        if (!Array.isArray(raw)) {
            return; // no catalog given (a stack of another program)
        }
        const needs = readNeeds(raw);
        const grants = dataGrants(needs);
        const idx = stackIndex(args.resources);
        let undecided: { r: PolicyResource; prop: string } | undefined;

        const stores: StoreView[] = [];
        for (const r of idx.ofType(...Object.keys(STORE_RESOURCE_TYPES))) {
            const data = tag(r.props, TAGS.data);
            const owner = idx.serviceOf(r);
            const arn = peek(r.props, "arn");
            if (data === UNKNOWN || owner === UNKNOWN || arn === UNKNOWN) {
                undecided = { r, prop: "arn" };
                continue;
            }
            if (data === undefined || owner === undefined || typeof arn !== "string") continue;
            const type = STORE_RESOURCE_TYPES[r.type];
            const declared = needs.find((n) => n.service === owner)?.data ?? [];
            const base = type === "sqs" && data.endsWith("-dlq") ? data.slice(0, -4) : undefined;
            const deadLetterOf = base !== undefined && declared.some((d) => d.name === base && d.type === "sqs") && !declared.some((d) => d.name === data) ? base : undefined;
            stores.push({ r, owner, data, type, arns: type === "s3" ? [arn, `${arn}/*`] : [arn], deadLetterOf });
        }

        // IAM: what each service's roles may do.
        for (const { r, ref, service } of roleDocuments(idx, (r, prop) => (undecided = { r, prop }))) {
            for (const s of parsePolicyDocument(ref.doc).statements.filter((x) => x.effect === "Allow")) {
                for (const store of stores) {
                    if (!touches(s, store)) continue;
                    const ok = allowed(service, store, grants);
                    const extra = dataActionsOf(s, store.type).filter((a) => !ok.has(a));
                    if (extra.length > 0) {
                        report(
                            `${label(r)} ${ref.where} statement ${statementName(s)} lets ${service ?? "a role of no catalog service"} do ${extra.join(", ")} on ${store.owner}'s ${store.type} store ${store.data}, ` +
                                `which the catalog does not declare${ok.size > 0 ? ` (it declares ${[...ok].join(", ")})` : ""}. ` +
                                `Fix: ${store.deadLetterOf !== undefined || service === store.owner ? "remove the statement" : `add {service: ${store.owner}, data: ${store.data}, access: ...} to ${service ?? "the service"}'s uses, or remove the statement`}.`,
                            r.urn,
                        );
                    }
                }
                const reads = SECRET_ACTIONS.filter((a) => s.actions?.some((p) => actionMatches(p, a)) || (s.notActions !== undefined && !s.notActions.some((p) => actionMatches(p, a))));
                if (reads.length === 0) continue;
                const own = needs.find((n) => n.service === service);
                const beyond = s.resources ? s.resources.filter((x) => !declaredSecret(x, own)) : ["(every resource: NotResource)"];
                if (beyond.length > 0) {
                    report(
                        `${label(r)} ${ref.where} statement ${statementName(s)} lets ${service ?? "a role of no catalog service"} read ${beyond.join(", ")} (${reads.join(", ")}), which is not among its declared secrets. ` +
                            `Fix: declare it in ${service ?? "the service"}'s secrets (docs/catalog.md#secrets), or remove the statement.`,
                        r.urn,
                    );
                }
            }
        }

        // Resource policies: which principals each store admits.
        const serviceOfRole = new Map<string, string | undefined>();
        for (const role of idx.ofType("aws:iam/role:Role")) {
            const arn = peek(role.props, "arn");
            const owner = idx.serviceOf(role);
            if (typeof arn === "string" && owner !== UNKNOWN) serviceOfRole.set(arn, owner);
        }
        for (const r of idx.ofType(...Object.keys(STORE_POLICIES))) {
            const store = stores.find((x) => idx.propDeps(r, STORE_POLICIES[r.type]).some((d) => d.urn === x.r.urn));
            if (!store) continue;
            if (peek(r.props, "policy") === UNKNOWN) {
                undecided = { r, prop: "policy" };
                continue;
            }
            for (const s of parsePolicyDocument(get(r.props, "policy")).statements.filter((x) => x.effect === "Allow")) {
                const actions = dataActionsOf(s, store.type);
                if (actions.length === 0 || !touches(s, store)) continue;
                const principals = Object.entries(s.principals ?? {}).flatMap(([kind, values]) => values.map((v) => ({ kind, v })));
                for (const p of principals) {
                    const service = p.kind === "AWS" ? serviceOfRole.get(p.v) : undefined;
                    if (service === undefined) {
                        report(
                            `${label(r)} statement ${statementName(s)} admits ${p.kind === "AWS" ? "" : `${p.kind} `}${p.v} to ${actions.join(", ")} on ${store.owner}'s store ${store.data}; it is no role of a catalog service of this stack. ` +
                                `Fix: remove it; a store admits only the roles of its owner and of the services whose uses name it.`,
                            r.urn,
                        );
                        continue;
                    }
                    const ok = allowed(service, store, grants);
                    const extra = actions.filter((a) => !ok.has(a));
                    if (extra.length > 0) {
                        report(
                            `${label(r)} statement ${statementName(s)} admits ${service}'s role to ${extra.join(", ")} on ${store.owner}'s store ${store.data}, which the catalog does not declare. ` +
                                `Fix: add {service: ${store.owner}, data: ${store.data}, access: ...} to ${service}'s uses, or remove it.`,
                            r.urn,
                        );
                    }
                }
            }
        }

        if (undecided) {
            // Read what was unknown as the engine's proxy sees it, so preview reports the rule as unable to run (after the findings above).
            void get(undecided.r.props, undecided.prop);
        }
    },
});
