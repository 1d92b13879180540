/**
 * Amazon SQS in the fake cloud: queues.
 *
 * Sources:
 * - Queue URL `https://sqs.<region>.amazonaws.com/<account>/<name>` (the
 *   provider's id) and ARN `arn:aws:sqs:<region>:<account>:<name>`; names at
 *   most 80 characters, FIFO names ending in `.fifo` (SQS Developer Guide,
 *   "Amazon SQS queue and message identifiers"; CreateQueue).
 */
import { arn, Handler, ServiceModel } from "./common";

const resources: Record<string, Handler> = {
    "aws:sqs/queue:Queue": c => {
        const fifo = c.inputs.fifoQueue === true;
        let name = c.autoname("name", { maxLength: fifo ? 75 : 80 });
        if (fifo && !name.endsWith(".fifo")) name += ".fifo";
        const url = `https://sqs.${c.region}.amazonaws.com/${c.account}/${name}`;
        return { id: url, checked: { name }, computed: { arn: arn(c, "sqs", name), url } };
    },
};

export const SQS: ServiceModel = { resources };
