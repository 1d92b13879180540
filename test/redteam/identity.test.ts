/**
 * Red-team cases: another account named anywhere but as a plain principal.
 * Each targets a promise ("no other account can decrypt with the platform
 * key", "no other account can assume a workload's role", "nothing is
 * deployed into another account"), written as an engineer would write the
 * edit, planned offline and judged by the real pack. The red-team catalog
 * declares its account (aws:allowedAccountIds) as a stack should, except in
 * the cases that say it does not: those are refused as undeclared, never
 * judged by accounts learned from the plan.
 */
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { Edit, RedTeamCase, redTeamCatalog } from "./harness";
import { redTeamSuite } from "./run";

const FOREIGN = (ACCOUNT_ID as string) === "999999999999" ? "888888888888" : "999999999999";
const RULE = "identity-accounts-declared";
/** The catalog of a stack that declares no account of its own. */
const undeclared = (): Record<string, unknown> => {
    const { "aws:allowedAccountIds": _declared, ...rest } = redTeamCatalog();
    return rest;
};

/** A statement added to the platform key's policy (components/platformKey.ts), with `accountId`, `partition` in scope. */
const keyStatement = (statement: string): Edit[] => [{ file: "components/platformKey.ts", after: "policy: policyDocument([", insert: `\n                ${statement},` }];
/** Code appended to index.ts, with `aws` imported. */
const program = (code: string): Edit[] => [{ file: "index.ts", before: "import * as pulumi", insert: `import * as aws from "@pulumi/aws";\n` }, { file: "index.ts", insert: code }];
/** Code added to every ECS service's task roles (components/runtimes/ecs.ts), with `taskRole`, `name`, `opts` in scope. */
const inEcsTask = (code: string): Edit[] => [{ file: "components/runtimes/ecs.ts", before: "    return { logGroup, executionRole, taskRole };", insert: `${code}\n` }];

const cases: RedTeamCase[] = [
    {
        name: "no other account can decrypt with the platform key: { AWS: \"*\" } narrowed by kms:CallerAccount to another account",
        edits: keyStatement(`{ Sid: "PartnerReads", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": "${FOREIGN}" } } }`),
        expect: RULE,
    },
    {
        name: "no other account can decrypt with the platform key: aws:PrincipalArn pattern with a wildcard account",
        edits: keyStatement(`{ Sid: "CiDecrypts", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ci-deployer" } } }`),
        expect: RULE,
    },
    {
        name: "no other account can publish to the platform's key: a service principal whose aws:SourceArn is another account's rule",
        edits: keyStatement(`{ Sid: "Events", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "kms:GenerateDataKey*", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:events:us-east-1:${FOREIGN}:rule/forward" } } }`),
        expect: RULE,
    },
    {
        name: "no other account can assume a workload's role: task role trust for another account's role by aws:PrincipalArn",
        edits: inEcsTask(
            `    new aws.iam.Role(\`\${name}-debug\`, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalAccount": "${FOREIGN}" } } }] }) }, opts);`,
        ),
        expect: RULE,
    },
    {
        name: "no other account administers a cluster: an EKS access entry for another account's role",
        edits: program(`new aws.eks.AccessEntry("search-partner-ops", { clusterName: "search", principalArn: "arn:aws:iam::${FOREIGN}:role/ops", type: "STANDARD" });`),
        expect: RULE,
    },
    {
        name: "nothing is deployed into another account: a log group created through a provider that assumes a role there",
        edits: program(
            `const elsewhere = new aws.Provider("elsewhere", { region: "us-east-1", assumeRoles: [{ roleArn: "arn:aws:iam::${FOREIGN}:role/deployer" }] });\n` +
                `new aws.cloudwatch.LogGroup("orders-copy", { retentionInDays: 14 }, { provider: elsewhere });`,
        ),
        expect: RULE,
    },
    {
        // Its ARN carries the other account, as AWS writes it; were "own" learned from the plan, this would make it own.
        name: "a stack that declares no account: a log group created through a provider named like the default one, assuming a role in another account, does not make that account own",
        edits: program(
            `const deployer = new aws.Provider("default", { region: "us-east-1", assumeRoles: [{ roleArn: "arn:aws:iam::${FOREIGN}:role/deployer" }] });\n` +
                `new aws.cloudwatch.LogGroup("orders-copy", { retentionInDays: 14 }, { provider: deployer });`,
        ),
        expect: RULE,
        stackConfig: undeclared(),
    },
    {
        name: "a stack that declares no account: another account's role trusted by aws:PrincipalArn is still refused",
        edits: inEcsTask(
            `    new aws.iam.Role(\`\${name}-audit\`, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::${FOREIGN}:role/audit" } } }] }) }, opts);`,
        ),
        expect: RULE,
        stackConfig: undeclared(),
    },
];

redTeamSuite("red team: another account, named anywhere", cases);
