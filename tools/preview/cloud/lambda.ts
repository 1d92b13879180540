/**
 * AWS Lambda in the fake cloud: functions and permissions.
 *
 * Sources:
 * - Function ARN `arn:aws:lambda:<region>:<account>:function:<name>`,
 *   `qualifiedArn` with `:$LATEST`, and the API Gateway invoke ARN
 *   `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`
 *   (Lambda API reference, CreateFunction; API Gateway Developer Guide,
 *   "Set up Lambda integrations").
 * - Function names at most 64 characters (CreateFunction `FunctionName`).
 * - A permission without a statement id gets `terraform-<26 chars>`:
 *   terraform-provider-aws `internal/service/lambda/permission.go`
 *   (`id.PrefixedUniqueId`, `id.UniqueIdPrefix` "terraform-").
 */
import { arn, Handler, ServiceModel, str } from "./common";

const resources: Record<string, Handler> = {
    "aws:lambda/function:Function": c => {
        const name = c.autoname("name", { maxLength: 64 });
        const a = arn(c, "lambda", `function:${name}`);
        return { id: name, checked: { name }, computed: { arn: a, qualifiedArn: `${a}:$LATEST`, invokeArn: `arn:${c.partition}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${a}/invocations`, version: "$LATEST" } };
    },
    "aws:lambda/permission:Permission": c => {
        const statementId = str(c.inputs.statementId) ?? `${str(c.inputs.statementIdPrefix) ?? "terraform-"}${c.hex(26, "sid")}`;
        return { id: statementId, checked: { statementId } };
    },
};

export const LAMBDA: ServiceModel = { resources };
