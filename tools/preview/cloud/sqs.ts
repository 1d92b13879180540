/**
 * Amazon SQS in the fake cloud: queues.
 *
 * Sources:
 * - Queue URL `https://sqs.<region>.amazonaws.com/<account>/<name>` (the
 *   provider's id) and ARN `arn:aws:sqs:<region>:<account>:<name>`; names at
 *   most 80 characters, FIFO names ending in `.fifo` (SQS Developer Guide,
 *   "Amazon SQS queue and message identifiers"; CreateQueue).
 * - `aws.sqs.QueuePolicy`: imported "using the queue URL"
 *   (node_modules/@pulumi/aws/sqs/queuePolicy.d.ts, Import), so id = the
 *   queue's URL, which is its `queueUrl` input.
 */
import { arn, Handler, ServiceModel, str } from "./common";

const resources: Record<string, Handler> = {
    "aws:sqs/queue:Queue": c => {
        const fifo = c.inputs.fifoQueue === true;
        let name = c.autoname("name", { maxLength: fifo ? 75 : 80 });
        if (fifo && !name.endsWith(".fifo")) name += ".fifo";
        const url = `https://sqs.${c.region}.amazonaws.com/${c.account}/${name}`;
        return { id: url, checked: { name }, computed: { arn: arn(c, "sqs", name), url } };
    },
    "aws:sqs/queuePolicy:QueuePolicy": c => ({ id: str(c.inputs.queueUrl) ?? `https://sqs.${c.region}.amazonaws.com/${c.account}/${c.name}` }),
};

export const SQS: ServiceModel = { resources };
