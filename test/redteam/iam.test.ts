/**
 * Red-team cases: IAM in many forms (escalation on account-wide patterns,
 * narrowed patterns, the role's own ARN and methods split across policies,
 * wildcards, AWS-managed policies, trust conditions, shared roles, and
 * resource-based policies), as an engineer would add them to index.ts or to
 * a component, planned offline and judged by the real pack.
 */
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { Edit, RedTeamCase } from "./harness";
import { redTeamSuite } from "./run";

const FOREIGN = (ACCOUNT_ID as string) === "999999999999" ? "888888888888" : "999999999999";
const HEADER = `import * as aws from "@pulumi/aws";\n`;
const PRELUDE = `const acct = aws.getCallerIdentityOutput().accountId;\nconst region = aws.getRegionOutput().name;\n`;
/** Code appended to index.ts, with `aws`, `acct` (the deploying account) and `region` in scope. */
const inIndex = (code: string): Edit[] => [{ file: "index.ts", before: "import * as pulumi", insert: HEADER }, { file: "index.ts", insert: PRELUDE + code }];
/** Code added to every ECS service's task roles (components/runtimes/ecs.ts), with `taskRole`, `executionRole`, `name`, `opts` in scope. */
const inEcsTask = (code: string): Edit[] => [{ file: "components/runtimes/ecs.ts", before: "    return { logGroup, executionRole, taskRole };", insert: `${code}\n` }];
const doc = (statements: string) => `pulumi.jsonStringify({ Version: "2012-10-17", Statement: [${statements}] })`;
const policy = (name: string, statements: string) => inIndex(`new aws.iam.Policy("${name}", { policy: ${doc(statements)} });`);
const ECS_TRUST = `JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] })`;
const role = (name: string, trust: string) => inIndex(`new aws.iam.Role("${name}", { assumeRolePolicy: ${trust} });`);

const cases: RedTeamCase[] = [
    {
        name: "iam:PassRole on arn:aws:iam::<acct>:role/* with lambda:CreateFunction + InvokeFunction",
        edits: policy("deployer", `{ Effect: "Allow", Action: "iam:PassRole", Resource: pulumi.interpolate\`arn:aws:iam::\${acct}:role/*\` }, { Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" }`),
        expect: ["iam-no-privilege-escalation", "iam-passrole-scoped"],
    },
    {
        name: "iam:CreatePolicyVersion on arn:aws:iam::*:policy/*",
        edits: policy("policy-editor", `{ Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "arn:aws:iam::*:policy/*" }`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "iam:Put* on every role of the account, on the ECS task roles",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-self-service\`, { role: taskRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:Put*", Resource: pulumi.interpolate\`arn:\${partition}:iam::\${accountId}:role/*\` }] }) }, opts);`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "iam:AttachRolePolicy on arn:aws:iam::<acct>:role/*",
        edits: policy("attacher", `{ Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:ListRoles"], Resource: pulumi.interpolate\`arn:aws:iam::\${acct}:role/*\` }`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "iam:UpdateAssumeRolePolicy on arn:aws:iam::*:role/*",
        edits: policy("trust-editor", `{ Effect: "Allow", Action: "iam:UpdateAssumeRolePolicy", Resource: "arn:aws:iam::*:role/*" }`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "iam:CreateAccessKey on arn:aws:iam::*:user/*",
        edits: policy("key-rotator", `{ Effect: "Allow", Action: ["iam:CreateAccessKey", "iam:ListAccessKeys"], Resource: "arn:aws:iam::*:user/*" }`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "PassRole + ecs:RegisterTaskDefinition + ecs:RunTask (run a task as any role)",
        edits: policy("task-runner", `{ Effect: "Allow", Action: ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"], Resource: "*" }`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "ssm:SendCommand on every instance",
        edits: policy("ops", `{ Effect: "Allow", Action: "ssm:SendCommand", Resource: ["arn:aws:ec2:*:*:instance/*", "arn:aws:ssm:*:*:document/*"] }`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "*:* on every resource",
        edits: policy("break-glass", `{ Effect: "Allow", Action: "*:*", Resource: "*" }`),
        expect: ["iam-no-wildcard-admin-statements", "iam-no-privilege-escalation"],
    },
    // No workload can raise its own privileges: each case gives the ECS task
    // roles a narrower or split spelling of an escalation method.
    {
        name: "no workload can raise its own privileges: iam:AttachRolePolicy on role/?* (every role, its own included)",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-attach\`, { role: taskRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: pulumi.interpolate\`arn:\${partition}:iam::\${accountId}:role/?*\` }] }) }, opts);`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "no workload can raise its own privileges: iam:PutRolePolicy on the task role's own ARN",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-self\`, { role: taskRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:PutRolePolicy", Resource: taskRole.arn }] }) }, opts);`),
        expect: "iam-no-privilege-escalation",
        // The document names the role's own ARN, an output unknown in preview.
        previewMayDefer: true,
    },
    {
        name: "no workload can raise its own privileges: iam:CreatePolicyVersion on arn:aws:iam::*:policy/?*",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-versions\`, { role: taskRole.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:CreatePolicyVersion", "iam:ListPolicyVersions"], Resource: "arn:aws:iam::*:policy/?*" }] }) }, opts);`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "no workload can raise its own privileges: PassRole on role/app/* and the Lambda launcher in two policies of one role",
        edits: inEcsTask(
            `    new aws.iam.RolePolicy(\`\${name}-pass\`, { role: taskRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: pulumi.interpolate\`arn:\${partition}:iam::\${accountId}:role/app/*\` }] }) }, opts);\n` +
                `    new aws.iam.RolePolicy(\`\${name}-functions\`, { role: taskRole.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" }] }) }, opts);`,
        ),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "no workload can raise its own privileges: NotAction s3:* on the account's roles",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-all-but-s3\`, { role: taskRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "s3:*", Resource: pulumi.interpolate\`arn:\${partition}:iam::\${accountId}:role/\${name}-*\` }] }) }, opts);`),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "no workload can raise its own privileges: iam:CreateRole in an attached policy, iam:AttachRolePolicy inline",
        edits: inEcsTask(
            `    const creator = new aws.iam.Policy(\`\${name}-creator\`, { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:CreateRole", Resource: "*" }] }) }, opts);\n` +
                `    new aws.iam.RolePolicyAttachment(\`\${name}-creator\`, { role: taskRole.name, policyArn: creator.arn }, opts);\n` +
                `    new aws.iam.RolePolicy(\`\${name}-attach-new\`, { role: taskRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: pulumi.interpolate\`arn:\${partition}:iam::\${accountId}:role/\${name}-new-*\` }] }) }, opts);`,
        ),
        expect: "iam-no-privilege-escalation",
    },
    {
        name: "s3:* on arn:aws:s3:::* (every bucket of every account)",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-s3\`, { role: taskRole.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: ["arn:aws:s3:::*", "arn:aws:s3:::*/*"] }] }) }, opts);`),
        expect: "iam-no-wildcard-admin-statements",
    },
    {
        name: "ec2:* on every instance of the account",
        edits: policy("fleet", `{ Effect: "Allow", Action: "ec2:*", Resource: pulumi.interpolate\`arn:aws:ec2:\${region}:\${acct}:instance/*\` }`),
        expect: "iam-no-wildcard-admin-statements",
    },
    {
        name: "AmazonS3FullAccess attached to the ECS task roles",
        edits: inEcsTask(`    new aws.iam.RolePolicyAttachment(\`\${name}-s3-full\`, { role: taskRole.name, policyArn: aws.iam.ManagedPolicy.AmazonS3FullAccess }, opts);`),
        expect: "iam-aws-managed-policies-vetted",
    },
    {
        name: "PowerUserAccess through managedPolicyArns",
        edits: inIndex(`new aws.iam.Role("ci", { assumeRolePolicy: ${ECS_TRUST}, managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] });`),
        expect: ["iam-aws-managed-policies-vetted", "iam-no-admin-managed-policies"],
    },
    {
        name: "ReadOnlyAccess (reads every bucket and table) attached by RolePolicyAttachment",
        edits: inIndex(`const auditor = new aws.iam.Role("auditor", { assumeRolePolicy: ${ECS_TRUST} });\nnew aws.iam.RolePolicyAttachment("auditor-ro", { role: auditor.name, policyArn: aws.iam.ManagedPolicy.ReadOnlyAccess });`),
        expect: "iam-aws-managed-policies-vetted",
    },
    {
        name: "cross-account trust with StringLike sts:ExternalId \"*\"",
        edits: role("partner", `JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::${FOREIGN}:root" }, Action: "sts:AssumeRole", Condition: { StringLike: { "sts:ExternalId": "*" } } }] })`),
        expect: "iam-trust-conditions-restrict",
    },
    {
        name: "service trust with aws:SourceAccount \"*\"",
        edits: role("worker", `JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "*" } } }] })`),
        expect: "iam-trust-conditions-restrict",
    },
    {
        name: "IRSA trust without the :sub condition",
        edits: role(
            "search-irsa",
            `pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: pulumi.interpolate\`arn:aws:iam::\${acct}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com" } } }] })`,
        ),
        expect: "iam-trust-conditions-restrict",
    },
    {
        name: "CI OIDC trust narrowed to sub \"repo:*\"",
        edits: role(
            "ci-deployer",
            `pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: pulumi.interpolate\`arn:aws:iam::\${acct}:oidc-provider/token.actions.githubusercontent.com\` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } } }] })`,
        ),
        expect: "iam-trust-conditions-restrict",
    },
    {
        name: "a role shared between two services by a pasted ARN",
        edits: inIndex(
            `new aws.iam.Role("reporting", { name: "reporting-shared", assumeRolePolicy: ${ECS_TRUST}, tags: { "privatelink:service": "orders" } });\n` +
                `new aws.ecs.TaskDefinition("payments-report", { family: "payments-report", requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "256", memory: "512", ` +
                `taskRoleArn: pulumi.interpolate\`arn:aws:iam::\${acct}:role/reporting-shared\`, containerDefinitions: JSON.stringify([{ name: "report", image: "public.ecr.aws/docker/library/busybox:1", essential: true }]), tags: { "privatelink:service": "payments" } });`,
        ),
        expect: "iam-role-per-service",
    },
    {
        name: "a role shared between two services by its name (instance profile)",
        edits: inIndex(
            `new aws.iam.Role("batch", { name: "batch-runner", assumeRolePolicy: ${ECS_TRUST}, tags: { "privatelink:service": "orders" } });\n` +
                `const profile = new aws.iam.InstanceProfile("payments-batch", { role: "batch-runner", tags: { "privatelink:service": "payments" } });\n` +
                `new aws.ec2.LaunchTemplate("payments-batch", { iamInstanceProfile: { name: profile.name }, tags: { "privatelink:service": "payments" } });`,
        ),
        expect: "iam-role-per-service",
    },
    {
        name: "KMS key policy granting { AWS: \"*\" } decrypt",
        edits: inIndex(`new aws.kms.Key("shared-data", { enableKeyRotation: true, policy: ${doc(`{ Effect: "Allow", Principal: { AWS: pulumi.interpolate\`arn:aws:iam::\${acct}:root\` }, Action: "kms:*", Resource: "*" }, { Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" }`)} });`),
        expect: "resource-policy-no-foreign-principal",
    },
    {
        name: "SQS queue policy with Principal \"*\"",
        edits: inIndex(`const q = new aws.sqs.Queue("events", { sqsManagedSseEnabled: true });\nnew aws.sqs.QueuePolicy("events", { queueUrl: q.url, policy: ${doc(`{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: q.arn }`)} });`),
        expect: "resource-policy-no-foreign-principal",
        // The document names the resource's own ARN, an output unknown in preview.
        previewMayDefer: true,
    },
    {
        name: "SNS topic policy { AWS: \"*\" } without aws:SourceArn",
        edits: inIndex(`const t = new aws.sns.Topic("alerts");\nnew aws.sns.TopicPolicy("alerts", { arn: t.arn, policy: ${doc(`{ Effect: "Allow", Principal: { AWS: "*" }, Action: "SNS:Publish", Resource: t.arn }`)} });`),
        expect: "resource-policy-no-foreign-principal",
        // The document names the resource's own ARN, an output unknown in preview.
        previewMayDefer: true,
    },
    {
        name: "SNS topic with an inline policy whose condition is StringLike aws:SourceArn \"*\"",
        edits: inIndex(`new aws.sns.Topic("audit", { policy: ${doc(`{ Effect: "Allow", Principal: "*", Action: "SNS:Publish", Resource: "*", Condition: { StringLike: { "aws:SourceArn": "*" } } }`)} });`),
        expect: "resource-policy-no-foreign-principal",
    },
    {
        name: "Lambda permission for another account",
        edits: inIndex(`new aws.lambda.Permission("partner-invoke", { action: "lambda:InvokeFunction", function: pulumi.interpolate\`arn:aws:lambda:\${region}:\${acct}:function:notifier\`, principal: "${FOREIGN}" });`),
        expect: "resource-policy-no-foreign-account",
        // The rule judges every resource policy of the stack at once, and some of the plan's are built from outputs unknown in preview.
        previewMayDefer: true,
    },
    {
        name: "Lambda permission for \"*\"",
        edits: inIndex(`new aws.lambda.Permission("anyone-invoke", { action: "lambda:InvokeFunction", function: "notifier", principal: "*" });`),
        expect: "lambda-permission-scoped",
    },
    {
        name: "ECR repository policy granting another account push",
        edits: inIndex(
            `new aws.ecr.RepositoryPolicy("partner-push", { repository: "orders", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::${FOREIGN}:root" }, Action: ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability"] }] }) });`,
        ),
        expect: "resource-policy-no-foreign-account",
        // The rule judges every resource policy of the stack at once, and some of the plan's are built from outputs unknown in preview.
        previewMayDefer: true,
    },
    {
        name: "public S3 bucket policy",
        edits: inIndex(`const b = new aws.s3.BucketV2("exports");\nnew aws.s3.BucketPolicy("exports", { bucket: b.id, policy: ${doc(`{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: pulumi.interpolate\`\${b.arn}/*\` }`)} });`),
        expect: "resource-policy-no-foreign-principal",
        // The document names the resource's own ARN, an output unknown in preview.
        previewMayDefer: true,
    },
    {
        name: "S3 public access block switched off",
        edits: inIndex(`const site = new aws.s3.BucketV2("site");\nnew aws.s3.BucketPublicAccessBlock("site", { bucket: site.id, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false });`),
        expect: "resource-policy-no-foreign-principal",
    },
    {
        name: "Secrets Manager resource policy for \"*\"",
        edits: inIndex(`const s = new aws.secretsmanager.Secret("partner-token");\nnew aws.secretsmanager.SecretPolicy("partner-token", { secretArn: s.arn, policy: ${doc(`{ Effect: "Allow", Principal: { AWS: "*" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }`)} });`),
        expect: "resource-policy-no-foreign-principal",
    },
    {
        name: "SQS queue policy granting another account by ARN",
        edits: inIndex(`const dq = new aws.sqs.Queue("handoff", { sqsManagedSseEnabled: true });\nnew aws.sqs.QueuePolicy("handoff", { queueUrl: dq.url, policy: ${doc(`{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::${FOREIGN}:role/consumer" }, Action: "sqs:ReceiveMessage", Resource: dq.arn }`)} });`),
        expect: "resource-policy-no-foreign-account",
        // The document names the queue's ARN, an output unknown in preview.
        previewMayDefer: true,
    },
];

redTeamSuite("red team: IAM", cases);
