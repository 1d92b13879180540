/**
 * Red-team cases: trust by identity and placement, not by name. The
 * promises: "no workload of one service sits in another service's VPC",
 * whether its network interface is the first or the second of a launch
 * template; "a service accepts connections only from the consumers the
 * catalog declares", whatever endpoint id an accepter is given.
 */
import { RedTeamCase, withEcsOnEc2 } from "./harness";
import { redTeamSuite } from "./run";


const cases: RedTeamCase[] = [
    {
        name: "no workload sits in another service's VPC: the hosts' launch template gets a second network interface in orders' subnet",
        edits: [
            // The platform hands every workload the orders VPC's first subnet "for debugging"...
            { file: "components/platform.ts", replace: ["            kmsKeyArn: key.arn,\n            account: ctx.account,", "            kmsKeyArn: key.arn,\n            account: ctx.account,\n            ...({ debugSubnetId: [...providers.values()].find(p => p.spec.name === \"orders\")!.vpc.subnetIds[0] } as object),"] },
            // ...and the ECS-on-EC2 hosts attach a second interface there.
            { file: "components/runtimes/ecs-ec2/component.ts", replace: ["            securityGroups: [hostsSg.id],\n        }],", "            securityGroups: [hostsSg.id],\n        }, { deviceIndex: 1, deleteOnTermination: \"true\", subnetId: (args as unknown as { debugSubnetId: pulumi.Input<string> }).debugSubnetId }],"] },
        ],
        stackConfig: withEcsOnEc2(),
        expect: ["workload-in-owned-vpc", "vpc-single-tenant", "privatelink-only-between-vpcs"],
    },
    {
        name: "a service accepts connections only from declared consumers: an accepter for a partner's endpoint id pasted into index.ts",
        edits: [
            { file: "index.ts", before: "import * as pulumi", insert: `import * as aws from "@pulumi/aws";\n` },
            { file: "index.ts", insert: `new aws.ec2.VpcEndpointConnectionAccepter("payments-partner-accept", { vpcEndpointServiceId: services.apply(s => s.payments.endpointServiceId), vpcEndpointId: "vpce-0f1e2d3c4b5a69788" });` },
        ],
        expect: "endpoint-connection-accepter-declared",
    },
];

redTeamSuite("red team: trust by identity and placement", cases);
