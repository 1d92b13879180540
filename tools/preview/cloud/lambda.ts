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
 * - `aws.lambda.EventSourceMapping`: imported "using the `UUID` (event source
 *   mapping identifier)" (node_modules/@pulumi/aws/lambda/eventSourceMapping.d.ts,
 *   Import), so id = `uuid` = the mapping's UUID (CreateEventSourceMapping
 *   returns UUID); `functionArn` is the function's ARN.
 */
import { arn, Handler, ServiceModel, str, uuid } from "./common";

const resources: Record<string, Handler> = {
    "aws:lambda/function:Function": c => {
        const name = c.autoname("name", { maxLength: 64 });
        const a = arn(c, "lambda", `function:${name}`);
        return { id: name, checked: { name }, computed: { arn: a, qualifiedArn: `${a}:$LATEST`, invokeArn: `arn:${c.partition}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${a}/invocations`, version: "$LATEST" } };
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": c => {
        const id = uuid(c.hex(32, "uuid"));
        const fn = str(c.inputs.functionName) ?? "";
        return { id, computed: { uuid: id, functionArn: fn.startsWith("arn:") ? fn : arn(c, "lambda", `function:${fn}`), state: "Enabled", arn: arn(c, "lambda", `event-source-mapping:${id}`) } };
    },
    // An invocation at `up` (aws_lambda_invocation): the function's response is
    // its `result`. What the function returns is only the code's to say: the
    // cloud answers an empty JSON object and lists it as a fallback.
    "aws:lambda/invocation:Invocation": c => {
        c.fallback("the function returned {}", "safe: nothing in the program reads an invocation's result; the function's code is not run offline, so its response is only known after up");
        return { id: `${str(c.inputs.functionName) ?? "function"}_$LATEST_${c.hex(32, "input")}`, computed: { result: "{}" } };
    },
    "aws:lambda/permission:Permission": c => {
        const statementId = str(c.inputs.statementId) ?? `${str(c.inputs.statementIdPrefix) ?? "terraform-"}${c.hex(26, "sid")}`;
        return { id: statementId, checked: { statementId } };
    },
};

export const LAMBDA: ServiceModel = { resources };
