// The offline plan's usage text, in plain JavaScript with no imports, so that
// `npm run plan -- --help` prints it without loading TypeScript or the Pulumi
// SDK (tools/preview/bin.js answers --help before anything else loads).
"use strict";

const DIAGRAM_USAGE = `  --diagram <file>      also draw the plan: .svg (rendered in-process), .mmd (Mermaid) or .dot (Graphviz)
  --diagram-focus <svc[,svc]>  draw only these services and their neighbours (--diagram-depth <n>, default 1)
  --diagram-detail full|compact|auto  one box per VPC with its endpoints, or one node per service
                        (auto: compact above 30 services); see docs/diagram.md
`;

const USAGE = `usage: npm run -s plan -- [options]      (-s: npm prints no banner, so stdout is only the plan)

Runs the Pulumi program offline (fake cloud, no credentials) and shows what it would create.

  --stack <name>        stack whose stacks/Pulumi.<name>.yaml is read (default: dev)
  --mode preview|up     preview: cloud-computed outputs unknown; up: all known (default: preview)
  --json[=<file>]       one JSON document, on stdout or into <file>
                        (stdout holds only the plan: the program's own output goes to stderr)
  --verbose             list every finding the pack could not decide in a preview, not one line per rule
  --config-file <path>  read the stack's configuration from this file instead
  --cwd <dir>           the Pulumi project directory (default: the repository root)
  --fresh-account       plan against a fresh offline account, where nothing exists yet (the first
                        \`pulumi up\`): no ECR repository, so every image tag is a first deployment;
                        without it, the account after the first deploy and push (docs/offline-world.md)
  --cost                the whole monthly cost table (every line per service, the NAT comparison,
                        the assumptions) instead of its summary; --json always carries it (key "cost")
  --base <git-ref>      also plan that revision (temporary git worktree, cached install) and show
                        what this checkout changes: resources, moves, policy findings, cost
                        (docs/plan-diff.md)
  --comment <file>      with --base: write the pull-request comment body (Markdown) to <file>
  --env <name>          plan every shard stack of the environment stacks/Pulumi.<name>.yaml as one,
                        each StackReference answered from the other shards' offline outputs, then
                        the environment-wide checks (edges, principals, quotas, reachability)
  --changed <git-ref>   with --env: plan only the shards the change since <git-ref> can affect (its
                        touched shards, and the neighbours whose inputs change as a result); every
                        other shard's outputs and findings come from the cache of earlier plans
                        (.cache/env-plan, or PRIVATELINK_PLAN_CACHE; docs/scale.md)
${DIAGRAM_USAGE}  -h, --help            this text

exit codes: 0 clean; 1 a mandatory policy violation, or the program failed;
            2 bad input: the catalog, a stack file, a flag, a git ref or an output path
            (checked before anything is planned, where it can be)
`;

/** True when the arguments ask for the usage text. */
function wantsHelp(argv) {
    return argv.includes("-h") || argv.includes("--help");
}

module.exports = { USAGE, DIAGRAM_USAGE, wantsHelp };
