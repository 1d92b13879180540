/**
 * Red-team cases against one promise: no workload can administer the
 * platform's key or hand it on (issue 19, escalation on the platform's key).
 * Each edit gives a principal the plan creates a way to rewrite the key's
 * policy or create grants on it, in the words a change would use; each is
 * planned offline with the small red-team catalog and judged by the real
 * pack in both modes.
 */
import { RedTeamCase } from "./harness";
import { redTeamSuite } from "./run";

const FUNCTION_ROLE = "components/runtimes/lambda/function.ts";
const KEY = "components/platformKey.ts";

const cases: RedTeamCase[] = [
    {
        name: "a function's role may re-grant and re-policy the platform key ('to rotate its own data key')",
        edits: [
            {
                file: FUNCTION_ROLE,
                before: "        ...(r.deadLetterQueueArn === undefined ? [] : [<PolicyStatement>{",
                insert: '        { Sid: "ManageOwnKey", Effect: "Allow", Action: ["kms:CreateGrant", "kms:PutKeyPolicy"], Resource: r.kmsKeyArn },\n',
            },
        ],
        expect: "kms-key-no-delegated-administration",
        // The statement carries the key's ARN, known after up.
        previewMayDefer: true,
    },
    {
        name: "the platform key's policy lets every role of the account create grants on it",
        edits: [
            {
                file: KEY,
                before: "                {\n                    Sid: \"CloudWatchLogs\",",
                insert:
                    '                {\n                    Sid: "RolesMayGrant",\n                    Effect: "Allow",\n                    Principal: { AWS: "*" },\n                    Action: ["kms:CreateGrant", "kms:Decrypt"],\n                    Resource: "*",\n                    Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },\n                },\n',
            },
        ],
        expect: "kms-key-no-delegated-administration",
        previewMayDefer: true,
    },
];

redTeamSuite("red team: the platform's key", cases);
