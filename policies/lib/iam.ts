import { asArray, get, str } from "./values";

export interface DocRef {
    /** Where in the resource the document sits, for messages ("inlinePolicies[0] (\"read\")", "policy"). */
    where: string;
    doc: unknown;
}

type DocReader = (props: unknown) => DocRef[];
const inlinePolicies: DocReader = (props) =>
    asArray(get(props, "inlinePolicies")).map((p, i) => {
        const name = str(get(p, "name"));
        return { where: `inlinePolicies[${i}]${name ? ` (${JSON.stringify(name)})` : ""}`, doc: get(p, "policy") };
    });
const policyProp: DocReader = (props) => [{ where: "policy", doc: get(props, "policy") }];

const DOC_READERS: Record<string, DocReader> = {
    "aws:iam/role:Role": inlinePolicies,
    "aws:iam/group:Group": inlinePolicies,
    "aws:iam/policy:Policy": policyProp,
    "aws:iam/rolePolicy:RolePolicy": policyProp,
    "aws:iam/userPolicy:UserPolicy": policyProp,
    "aws:iam/groupPolicy:GroupPolicy": policyProp,
};

/** Types that carry permission documents in their inputs. */
export const PERMISSION_DOC_TYPES = Object.keys(DOC_READERS);

/** Permission documents carried by an IAM resource's inputs. */
export function permissionDocuments(type: string, props: unknown): DocRef[] {
    const read = DOC_READERS[type];
    return read ? read(props) : [];
}

type ArnReader = (props: unknown) => { where: string; arn: unknown }[];
const arnList = (key: string): ArnReader => (props) => asArray(get(props, key)).map((arn, i) => ({ where: `${key}[${i}]`, arn }));
const singleArn: ArnReader = (props) => [{ where: "policyArn", arn: get(props, "policyArn") }];

const ARN_READERS: Record<string, ArnReader> = {
    "aws:iam/role:Role": arnList("managedPolicyArns"),
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": arnList("policyArns"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": singleArn,
    "aws:iam/policyAttachment:PolicyAttachment": singleArn,
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": singleArn,
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": singleArn,
};

/** Types that attach managed policies by ARN. */
export const ATTACHMENT_TYPES = Object.keys(ARN_READERS);

/** Managed-policy ARNs attached by a resource, with the property they come from. */
export function attachedPolicyArns(type: string, props: unknown): { where: string; arn: unknown }[] {
    const read = ARN_READERS[type];
    return read ? read(props) : [];
}
