/**
 * Amazon DynamoDB in the fake cloud: tables and their resource policies.
 *
 * Sources (@pulumi/aws 7.48.0, which bridges terraform-provider-aws; its
 * generated reference in node_modules/@pulumi/aws/dynamodb/*.d.ts):
 * - `aws.dynamodb.Table`: imported "using the `name`" (table.d.ts, Import),
 *   so id = name; ARN `arn:aws:dynamodb:<region>:<account>:table/<name>`
 *   (Service Authorization Reference, "Resource types defined by Amazon
 *   DynamoDB": table); names 3-255 characters of `[a-zA-Z0-9_.-]`
 *   (DynamoDB Developer Guide, "Supported data types and naming rules").
 * - `aws.dynamodb.ResourcePolicy`: imported "using the `resourceArn`"
 *   (resourcePolicy.d.ts), so id = the table's ARN; `revisionId` is computed
 *   (PutResourcePolicy returns a RevisionId).
 */
import { apiError, arn, Handler, ServiceModel, str } from "./common";

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

const resources: Record<string, Handler> = {
    "aws:dynamodb/table:Table": c => {
        const name = c.autoname("name", { maxLength: 255 });
        if (!TABLE_NAME.test(name)) {
            c.refuse(apiError("creating AWS DynamoDB Table", "DynamoDB", "CreateTable", "ValidationException",
                `1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`));
        }
        const a = arn(c, "dynamodb", `table/${name}`);
        return { id: name, checked: { name }, computed: { arn: a, streamArn: "", streamLabel: "" } };
    },
    "aws:dynamodb/resourcePolicy:ResourcePolicy": c => {
        const target = str(c.inputs.resourceArn) ?? arn(c, "dynamodb", `table/${c.name}`);
        return { id: target, computed: { revisionId: String(parseInt(c.hex(12, "revision"), 16)) } };
    },
};

export const DYNAMODB: ServiceModel = { resources };
