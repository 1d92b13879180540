import { PolicyResource } from "@pulumi/policy";
import { hasWildcard } from "../../lib/glob";
import { label, stackIndex } from "../../lib/graph";
import { parsePolicyDocument, statementName } from "../../lib/policydoc";
import { roleDocuments } from "../../lib/role-documents";
import { stackRule } from "../../lib/rule";
import { dataActionsOf, DATA_API, DATA_TYPES, DataType, STORE_RESOURCE_TYPES } from "../../lib/service-needs";
import { configValue } from "../../lib/stack-config";
import { get, peek, UNKNOWN } from "../../lib/values";

/** The property holding each store type's physical name (what its ARN ends with). */
const NAME_PROP: Readonly<Record<DataType, string>> = { dynamodb: "name", s3: "bucket", sqs: "name", sns: "name" };

/**
 * A resource pattern of a statement, read as a store name of `type`: the
 * name it names and whether everything before that name is literal. ARN
 * formats (Service Authorization Reference, resource types of each service):
 * DynamoDB `arn:…:dynamodb:<region>:<account>:table/<name>[/index/…|/stream/…]`;
 * S3 `arn:…:s3:::<bucket>[/<key>]`; SQS and SNS `arn:…:<service>:<region>:<account>:<name>`.
 * Undefined when the pattern names another service.
 */
function storeNamed(pattern: string, type: DataType): { name: string; literal: boolean } | undefined {
    if (pattern === "*") return { name: "*", literal: false };
    const parts = pattern.split(":");
    if (parts[0] !== "arn" || parts.length < 6) return undefined;
    const service = parts[2];
    if (!hasWildcard(service) && service !== DATA_API[type].api) return undefined;
    const prefixLiteral = !parts.slice(1, 5).some(hasWildcard);
    const resource = parts.slice(5).join(":");
    let name: string;
    switch (type) {
        case "s3": name = resource.split("/")[0]; break;
        case "dynamodb": name = resource.startsWith("table/") ? resource.split("/")[1] ?? "" : resource; break;
        default: name = resource;
    }
    return { name, literal: prefixLiteral && !hasWildcard(name) && !hasWildcard(service) };
}

export const dataGrantsNameStores = stackRule({
    name: "data-grants-name-stores",
    description:
        "A grant of data actions on DynamoDB, S3, SQS or SNS names the stores it acts on, and each is a table, bucket, queue or topic of this stack (a store the catalog declares: data-grants-declared then holds the actions to it). " +
        "A wildcard or NotResource, a store of another stack or account, or any other name is refused: the catalog is the only way to reach data.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Declare the store in its owner's data and the access in the user's uses (docs/catalog.md#uses): the platform derives the grant naming the store's ARN. Remove grants on anything else.",
    meta: {
        area: "iam",
        rationale:
            "data-grants-declared judges the stores a stack holds; a grant naming every store (`*`, a pattern) or a store elsewhere (another shard, another stack) reaches data no catalog entry of this stack declares, " +
            "and from a shard the stores of the other shards are out of its sight. Uses across shards are refused by the catalog, so every store a service may use is in its own stack. " +
            "ARN formats: Service Authorization Reference (DynamoDB, S3, SQS, SNS resource types).",
        afterUp: "the physical names of stores built from outputs (an S3 bucket's account suffix) may be unknown in preview.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        if (!Array.isArray(configValue("services"))) return; // no catalog given (a stack of another program)
        const idx = stackIndex(args.resources);
        let undecided: { r: PolicyResource; prop: string } | undefined;

        const stores = idx.ofType(...Object.keys(STORE_RESOURCE_TYPES)).map((r) => {
            const type = STORE_RESOURCE_TYPES[r.type];
            return { r, type, name: peek(r.props, NAME_PROP[type]) };
        });

        for (const { r, ref, service } of roleDocuments(idx, (r, prop) => (undecided = { r, prop }))) {
            const who = service ?? "a role of no catalog service";
            for (const s of parsePolicyDocument(ref.doc).statements.filter((x) => x.effect === "Allow")) {
                for (const type of DATA_TYPES) {
                    const actions = dataActionsOf(s, type);
                    if (actions.length === 0) continue;
                    const at = `${label(r)} ${ref.where} statement ${statementName(s)} lets ${who} do ${actions.join(", ")}`;
                    if (!s.resources) {
                        if (s.notResources) report(`${at} on everything but ${s.notResources.join(", ")} (NotResource): every ${type} store of the account. Fix: name the declared stores' ARNs, or remove the statement.`, r.urn);
                        continue;
                    }
                    for (const pattern of s.resources) {
                        const named = storeNamed(pattern, type);
                        if (!named) continue;
                        if (!named.literal) {
                            report(`${at} on ${pattern}, a pattern that reaches every ${type} store it matches, declared or not. Fix: name each declared store's ARN (the platform derives them from data and uses), or remove the statement.`, r.urn);
                            continue;
                        }
                        // A store of the stack: data-grants-declared holds a declared store's grants to the catalog; the platform's
                        // own queues and topics (failure queues, connection notifications) are the platform's to grant.
                        const ofType = stores.filter((x) => x.type === type);
                        if (ofType.some((x) => x.name === named.name)) continue;
                        const unknown = ofType.find((x) => x.name === UNKNOWN);
                        if (unknown) {
                            undecided = { r: unknown.r, prop: NAME_PROP[type] };
                            continue;
                        }
                        report(
                            `${at} on ${pattern}: ${named.name} is no ${type} store of this stack, so no catalog entry of it declares the access. ` +
                                `Fix: declare the store in its owner's data and the access in ${service ?? "the service"}'s uses (a store of another shard cannot be used yet), or remove the statement.`,
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
