import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "./catalog";
import type { Store } from "./serviceData";
import type { AccountContext } from "./shared";

export interface ServiceTriggersArgs {
    service: string;
    /** The function the triggers invoke. */
    function: aws.lambda.Function;
    /** The service's `triggers` with the queue each names (a store of this stack). */
    triggers: { spec: ServiceSpec["triggers"][number]; queue?: Store }[];
    /** What a queue trigger waits for: the role's grant to consume (Lambda checks it when the mapping is created). */
    grants: pulumi.Resource[];
    account: AccountContext;
    tags: Record<string, string>;
}

/**
 * What invokes a service besides its consumers, as its catalog `triggers`
 * say, and nothing else:
 * - an SQS queue it consumes: an event source mapping, which polls with the
 *   function's own role (the `consume` grant: ReceiveMessage, DeleteMessage,
 *   GetQueueAttributes, Lambda Developer Guide, "Using Lambda with Amazon
 *   SQS", execution role permissions) and reports partial batch failures
 *   (`ReportBatchItemFailures`), so one bad message is retried alone and ends
 *   in the queue's dead-letter queue;
 * - a schedule: an EventBridge rule targeting the function, with a Lambda
 *   permission for events.amazonaws.com limited to that rule's ARN and the
 *   stack's account (Lambda Developer Guide, "Invoking a Lambda function on a
 *   schedule"; "Using resource-based policies for Lambda": SourceArn).
 */
export class ServiceTriggers extends pulumi.ComponentResource {
    constructor(name: string, args: ServiceTriggersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:events:ServiceTriggers", name, {}, opts);
        const parent = { parent: this };
        for (const { spec, queue } of args.triggers) {
            if ("queue" in spec) {
                if (!queue) continue; // a queue of another shard: refused by the catalog
                new aws.lambda.EventSourceMapping(`${name}-${spec.queue.service}-${spec.queue.data}`, {
                    eventSourceArn: queue.arn,
                    functionName: args.function.arn,
                    batchSize: spec.batchSize ?? 10,
                    functionResponseTypes: ["ReportBatchItemFailures"],
                    tags: args.tags,
                }, { parent: this, dependsOn: args.grants });
                continue;
            }
            const id = `${name}-${scheduleName(spec.schedule)}`;
            const rule = new aws.cloudwatch.EventRule(id, {
                description: `${args.service}: ${spec.schedule}`,
                scheduleExpression: spec.schedule,
                tags: args.tags,
            }, parent);
            const invoke = new aws.lambda.Permission(id, {
                action: "lambda:InvokeFunction",
                function: args.function.name,
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
                sourceAccount: args.account.accountId,
            }, parent);
            new aws.cloudwatch.EventTarget(id, { rule: rule.name, targetId: "function", arn: args.function.arn }, { parent: this, dependsOn: [invoke] });
        }
        this.registerOutputs({});
    }
}

/** `rate(5 minutes)` -> `rate-5-minutes`: a schedule in a resource name, so reordering triggers moves nothing. */
export function scheduleName(expression: string): string {
    return expression.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
