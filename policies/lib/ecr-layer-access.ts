import { actionMatches, globMatch } from "./glob";
import { ParsedDocument, Statement, statementName } from "./policydoc";
import { ecrLayerBucketArn } from "../facts/endpoint-policy-support";

/**
 * Whether an S3 endpoint policy lets an ECR image-layer download through.
 *
 * The request, as AWS documents it: ECR answers a pull with a presigned URL
 * for `s3:GetObject` on `arn:<partition>:s3:::prod-<region>-starport-layer-bucket/<digest>`,
 * signed by an ECR account, not by the caller and not by a service principal
 * (ECR user guide, "Minimum Amazon S3 bucket permissions for Amazon ECR";
 * aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/README.md:
 * "A call to Amazon S3 is signed using a presigned URL, which is created by an
 * Amazon ECR account and not the service principal"). So in the endpoint's
 * evaluation `aws:PrincipalAccount` and `aws:ResourceAccount` are AWS-owned
 * accounts (never the user's), the organization keys are absent, and
 * `aws:PrincipalIsAWSService` is false.
 *
 * Evaluation follows IAM's order: an explicit Deny that applies wins, then an
 * Allow that applies, otherwise the implicit deny. A condition this module
 * cannot decide for that request makes the statement "undecided"; the verdict
 * is then "undecided" with the key named, never a guess.
 */

export type Verdict = "allowed" | "denied" | "undecided";
export interface Access {
    verdict: Verdict;
    /** Why, for messages: which statement decided or which condition could not be decided. */
    why: string;
}

type Tri = true | false | "undecided";

/** Condition keys as AWS spells them (the parser lower-cases keys), for messages. */
const SPELLING = new Map(
    [
        "aws:PrincipalAccount", "aws:ResourceAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:ResourceOrgID",
        "aws:ResourceOrgPaths", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
        "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:SourceVpce",
        "aws:SourceVpc", "aws:SourceIp", "aws:VpcSourceIp", "aws:PrincipalArn", "aws:userid", "aws:SecureTransport",
    ].map((k) => [k.toLowerCase(), k]),
);
const spelled = (key: string | undefined): string => (key === undefined ? "?" : SPELLING.get(key) ?? key);

/** A sample object in the layer bucket (layer keys are digests). */
export function ecrLayerObjectArn(partition: string, region: string): string {
    return `${ecrLayerBucketArn(partition, region)}/sha256:0123456789abcdef`;
}

const ACCOUNT_SCOPED = new Set(["aws:principalaccount", "aws:resourceaccount"]);
const ABSENT = new Set([
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalservicename",
    "aws:principalservicenameslist",
]);

function principalMatches(s: Statement): Tri {
    if (s.notPrincipals) {
        return Object.values(s.notPrincipals).some((vs) => vs.includes("*")) ? false : true;
    }
    if (s.principals === undefined) {
        return true; // endpoint policies without Principal apply to everyone
    }
    for (const [kind, values] of Object.entries(s.principals)) {
        if (kind === "*" || (kind === "AWS" && values.includes("*"))) {
            return true;
        }
    }
    // Named principals: the signer is an ECR account nobody can name here.
    return false;
}

function actionApplies(s: Statement): boolean {
    if (s.actions) {
        return s.actions.some((p) => actionMatches(p, "s3:GetObject"));
    }
    if (s.notActions) {
        return !s.notActions.some((p) => actionMatches(p, "s3:GetObject"));
    }
    return false;
}

function resourceApplies(s: Statement, object: string): boolean {
    if (s.resources) {
        return s.resources.some((r) => globMatch(r, object));
    }
    if (s.notResources) {
        return !s.notResources.some((r) => globMatch(r, object));
    }
    return true;
}

/** One condition operator/key/values against the layer request. */
function conditionHolds(op: string, key: string, values: string[]): Tri {
    const ifExists = op.endsWith("ifexists");
    const base = ifExists ? op.slice(0, -"ifexists".length) : op;
    const negated = /not/.test(base) && base !== "null";
    if (base === "null") {
        // Null:true holds when the key is absent.
        if (ABSENT.has(key)) {
            return values.some((v) => v.toLowerCase() === "true");
        }
        if (ACCOUNT_SCOPED.has(key) || key === "aws:principalisawsservice") {
            return values.some((v) => v.toLowerCase() === "false");
        }
        return "undecided";
    }
    if (ABSENT.has(key)) {
        // A missing key: positive operators fail (IfExists ones hold), negated ones hold.
        return ifExists || negated;
    }
    if (key === "aws:principalisawsservice" && base === "bool") {
        return values.some((v) => v.toLowerCase() === "false");
    }
    if (ACCOUNT_SCOPED.has(key)) {
        // The value is an AWS-owned account: it equals no account the user can list,
        // and matches only a pattern that admits any account.
        const anyAccount = values.some((v) => v === "*" || /^\*+$/.test(v) || v === "????????????");
        if (base.startsWith("string")) {
            const like = base.includes("like");
            const matches = like && anyAccount;
            return negated ? !matches : matches;
        }
        return "undecided";
    }
    return "undecided";
}

function conditionsHold(s: Statement): { holds: Tri; key?: string } {
    let result: Tri = true;
    let undecidedKey: string | undefined;
    for (const [op, block] of Object.entries(s.conditions)) {
        for (const [key, values] of Object.entries(block)) {
            const h = conditionHolds(op, key, values);
            if (h === false) {
                return { holds: false, key };
            }
            if (h === "undecided") {
                result = "undecided";
                undecidedKey = undecidedKey ?? key;
            }
        }
    }
    return { holds: result, key: undecidedKey };
}

/** Names the first account-scoping condition of a statement (for messages). */
function accountScope(s: Statement): string | undefined {
    for (const block of Object.values(s.conditions)) {
        for (const key of Object.keys(block)) {
            if (ACCOUNT_SCOPED.has(key) || key.startsWith("aws:principalorg") || key.startsWith("aws:resourceorg")) {
                return key;
            }
        }
    }
    return undefined;
}

/**
 * The verdict of a parsed S3 endpoint policy for ECR's layer download in
 * `region`. An empty document is AWS's default full-access policy.
 */
export function ecrLayerAccess(doc: ParsedDocument, partition: string, region: string): Access {
    if (doc.statements.length === 0) {
        return { verdict: "allowed", why: "no policy: the default full-access policy applies" };
    }
    const object = ecrLayerObjectArn(partition, region);
    const applies = (s: Statement): { tri: Tri; key?: string } => {
        if (!actionApplies(s) || !resourceApplies(s, object)) {
            return { tri: false };
        }
        const p = principalMatches(s);
        if (p === false) {
            return { tri: false };
        }
        const c = conditionsHold(s);
        return { tri: c.holds, key: c.key };
    };
    let undecided: string | undefined;
    for (const s of doc.statements.filter((x) => x.effect === "Deny")) {
        const a = applies(s);
        if (a.tri === true) {
            return { verdict: "denied", why: `Deny statement ${statementName(s)} applies to it` };
        }
        if (a.tri === "undecided") {
            undecided = undecided ?? `Deny statement ${statementName(s)} may apply (condition key ${spelled(a.key)} cannot be decided offline)`;
        }
    }
    let allowedBy: Statement | undefined;
    const scoped: string[] = [];
    for (const s of doc.statements.filter((x) => x.effect === "Allow")) {
        const a = applies(s);
        if (a.tri === true) {
            allowedBy = allowedBy ?? s;
        } else if (a.tri === "undecided") {
            undecided = undecided ?? `Allow statement ${statementName(s)} depends on condition key ${spelled(a.key)}, which cannot be decided offline`;
        } else if (actionApplies(s) && resourceApplies(s, object) && principalMatches(s) !== false) {
            const key = accountScope(s);
            if (key) {
                scoped.push(`${statementName(s)} (${spelled(key)})`);
            }
        }
    }
    if (undecided && !(allowedBy && !undecided.startsWith("Deny"))) {
        return { verdict: "undecided", why: undecided };
    }
    if (allowedBy) {
        return { verdict: "allowed", why: `Allow statement ${statementName(allowedBy)}` };
    }
    return {
        verdict: "denied",
        why: scoped.length > 0
            ? `only statement(s) ${scoped.join(", ")} could allow it, and their condition scopes the request to your own account or organization, which ECR's presigned URL is not`
            : "no Allow statement covers s3:GetObject on that bucket for any principal",
    };
}
