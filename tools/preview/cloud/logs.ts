/**
 * Amazon CloudWatch Logs in the fake cloud: log groups.
 *
 * Sources:
 * - Log group ARN `arn:aws:logs:<region>:<account>:log-group:<name>` (CloudWatch
 *   Logs API reference, LogGroup `arn`; the provider strips the trailing `:*`
 *   DescribeLogGroups reports: internal/service/logs/group.go `resourceGroupRead`).
 * - Log group class `STANDARD` by default (CreateLogGroup `logGroupClass`).
 */
import { arn, Handler, ServiceModel } from "./common";

const resources: Record<string, Handler> = {
    "aws:cloudwatch/logGroup:LogGroup": c => {
        const name = c.autoname();
        return { id: name, checked: { name }, computed: { arn: arn(c, "logs", `log-group:${name}`), logGroupClass: "STANDARD" } };
    },
};

export const LOGS: ServiceModel = { resources };
