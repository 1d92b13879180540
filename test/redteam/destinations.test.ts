/**
 * Red-team cases: data leaving through AWS-side relays, with no network
 * path. Each targets a promise ("no other account receives a service's
 * failed events", "flow records stay in the environment", "no code from
 * another account runs in a service"), written as an engineer would write
 * the edit, planned offline and judged by the real pack. The environment
 * declares its account (aws:allowedAccountIds) as a stack should.
 */
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { Edit, RedTeamCase, redTeamCatalog } from "./harness";
import { redTeamSuite } from "./run";

const FOREIGN = (ACCOUNT_ID as string) === "999999999999" ? "888888888888" : "999999999999";
const RULE = "destinations-in-environment";
const declared = (): Record<string, unknown> => ({ ...redTeamCatalog(), "aws:allowedAccountIds": [ACCOUNT_ID] });

const lambdaFn = (replace: [string, string]): Edit[] => [{ file: "components/runtimes/lambda/function.ts", replace }];

const cases: RedTeamCase[] = [
    {
        name: "no other account receives a service's failed events: the Lambda dead-letter target is another account's queue",
        edits: lambdaFn(["deadLetterConfig: { targetArn: deadLetterQueue.arn },", `deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:${FOREIGN}:central-dlq" },`]),
        expect: [RULE, "identity-accounts-declared"],
        stackConfig: declared(),
    },
    {
        name: "no code from another account runs in a service: a Lambda layer published by another account",
        edits: lambdaFn(["deadLetterConfig: { targetArn: deadLetterQueue.arn },", `deadLetterConfig: { targetArn: deadLetterQueue.arn },\n        layers: ["arn:aws:lambda:us-east-1:${FOREIGN}:layer:observability:12"],`]),
        expect: RULE,
        stackConfig: declared(),
    },
    {
        name: "flow records stay in the environment: a service VPC's flow log delivered to a bucket the stack does not own",
        edits: [
            { file: "components/isolatedVpc.ts", replace: ['            logDestinationType: "cloud-watch-logs",\n            logDestination: logGroup.arn,', '            logDestinationType: "s3",\n            logDestination: "arn:aws:s3:::central-network-telemetry/flow",'] },
            { file: "components/isolatedVpc.ts", replace: ["            iamRoleArn: role.arn,\n            maxAggregationInterval", "            maxAggregationInterval"] },
        ],
        expect: RULE,
        stackConfig: declared(),
    },
    {
        name: "no code from outside the environment runs in a service: a sidecar image pulled from a public registry",
        edits: [{ file: "index.ts", before: "import * as pulumi", insert: `import * as aws from "@pulumi/aws";\n` }, {
            file: "index.ts",
            insert: `new aws.ecs.TaskDefinition("orders-debug", { family: "orders-debug", requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512", containerDefinitions: JSON.stringify([{ name: "tools", image: "docker.io/nicolaka/netshoot:latest", essential: true }]) });`,
        }],
        expect: RULE,
        stackConfig: declared(),
    },
];

redTeamSuite("red team: data leaving through AWS-side relays", cases);
