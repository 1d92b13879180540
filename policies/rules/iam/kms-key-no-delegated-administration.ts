import { PolicyResource } from "@pulumi/policy";
import { Undecided } from "../../lib/apigateway";
import { arnsIntersect, KEY_ADMIN_ACTIONS } from "../../lib/escalation";
import { label, stackIndex, TYPES } from "../../lib/graph";
import { permissionDocuments, PERMISSION_DOC_TYPES } from "../../lib/iam";
import { grantsAction, parsePolicyDocument, principalValues, Statement, statementName } from "../../lib/policydoc";
import { stackRule } from "../../lib/rule";
import { peek, UNKNOWN } from "../../lib/values";

const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";

/** `kms:GrantIsForAWSResource` true: only an AWS service integrated with KMS may create the grant, on the caller's behalf (KMS Developer Guide, "kms:GrantIsForAWSResource"). */
function grantForAwsResourceOnly(s: Statement): boolean {
    return Object.entries(s.conditions).some(([op, keys]) => /^bool(ifexists)?$/.test(op) && (keys["kms:grantisforawsresource"] ?? []).some((v) => v.toLowerCase() === "true"));
}

function adminActions(s: Statement): string[] {
    return KEY_ADMIN_ACTIONS.filter((a) => grantsAction(s, a) && !(a === "kms:CreateGrant" && grantForAwsResourceOnly(s)));
}

/** The account root principal (`arn:aws:iam::<account>:root`, or a bare account id): the key policy's delegation to the account's IAM (KMS Developer Guide, "Default key policy"). */
function isAccountRoot(value: string): boolean {
    return /^\d{12}$/.test(value) || /^arn:[^:]+:iam::\d{12}:root$/.test(value);
}

export const kmsKeyNoDelegatedAdministration = stackRule({
    name: "kms-key-no-delegated-administration",
    description:
        "No principal the plan creates (a workload's role, a function's, a node's) may administer a KMS key of the plan or hand it on: no key policy statement grants a principal other than the account root or an AWS service kms:PutKeyPolicy, kms:CreateGrant, kms:ScheduleKeyDeletion, kms:DisableKey or the other key-administration actions, and no permission document of the plan grants them on the plan's keys (kms:CreateGrant only with kms:GrantIsForAWSResource).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Grant workloads only the use of the key (kms:Decrypt, kms:GenerateDataKey*, kms:Encrypt, kms:DescribeKey); leave key administration to the account root statement of the key policy (the account's administrators); let an AWS service create grants with the condition Bool kms:GrantIsForAWSResource true.",
    meta: {
        area: "iam",
        rationale:
            "A principal that may change a key's policy or create grants on it can give itself, or any other account, every use of the key, and read everything the platform encrypts with it (logs, notifications, images); one that may disable or delete it can destroy that data. " +
            "The key policy's account-root statement delegates to the account's IAM policies, so both the key policy and the identity policies the plan creates are read (AWS KMS Developer Guide, \"Default key policy\", \"Grants in AWS KMS\", \"kms:GrantIsForAWSResource\"; the privilege escalation methods of issue 19 on the platform's key).",
        equivalents: {},
        afterUp: "a key policy or permission document built from another resource's outputs is known after up.",
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const keys = idx.ofType(TYPES.kmsKey);
        if (keys.length === 0) return;
        const undecided = new Undecided();
        // Key policies: on the key, or as a KeyPolicy resource.
        const policies: { holder: PolicyResource; doc: unknown }[] = [
            ...keys.map((k) => ({ holder: k, doc: peek(k.props, "policy") })),
            ...idx.ofType(KEY_POLICY).map((p) => ({ holder: p, doc: peek(p.props, "policy") })),
        ];
        for (const { holder, doc } of policies) {
            if (doc === undefined || doc === "") continue;
            if (doc === UNKNOWN) {
                undecided.note(holder, "policy");
                continue;
            }
            for (const s of parsePolicyDocument(doc).statements) {
                const actions = adminActions(s);
                if (actions.length === 0) continue;
                const who = principalValues(s).filter((p) => p.kind !== "Service" && !isAccountRoot(p.value));
                if (who.length === 0) continue;
                report(
                    `${label(holder)} key policy statement ${statementName(s)} lets ${who.map((p) => JSON.stringify(p.value)).join(", ")} ${actions.join(", ")}: that principal can rewrite the key's policy or grant the key on, and read or destroy what the platform encrypts with it. ` +
                        "Fix: grant it only the key's use (kms:Decrypt, kms:GenerateDataKey*, kms:DescribeKey); keep administration in the account root statement.",
                    holder.urn,
                );
            }
        }
        // Identity policies of the plan on its keys (through the key policy's account-root delegation).
        for (const r of idx.ofType(...PERMISSION_DOC_TYPES)) {
            const refs = permissionDocuments(r.type, r.props);
            for (const ref of refs) {
                if (ref.doc === UNKNOWN) {
                    undecided.note(r, ref.where.split("[")[0]);
                    continue;
                }
                for (const s of parsePolicyDocument(ref.doc).statements) {
                    const actions = adminActions(s);
                    if (actions.length === 0) continue;
                    const resources = s.resources ?? ["*"];
                    // Any key ARN pattern covers the plan's keys once their ARNs are known (NotResource: everything but).
                    const hits = s.notResources ? ["NotResource"] : resources.filter((x) => x === "*" || arnsIntersect(x, "arn:*:kms:*:*:key/*"));
                    if (hits.length === 0) continue;
                    report(
                        `${label(r)} ${ref.where} statement ${statementName(s)} grants ${actions.join(", ")} on ${hits.map((x) => JSON.stringify(x)).join(", ")}, which covers KMS keys, the plan's among them (${keys.map((k) => k.name).join(", ")}): whoever holds it can rewrite a key's policy or grant the key on. ` +
                            "Fix: grant only the key's use (kms:Decrypt, kms:GenerateDataKey*, kms:DescribeKey), on the key's ARN; an AWS service's grants with the condition Bool kms:GrantIsForAWSResource true.",
                        r.urn,
                    );
                }
            }
        }
        undecided.settle();
    },
});
