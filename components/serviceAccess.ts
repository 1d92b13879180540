import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "./catalog";
import { DATA_API, DataGrant, dataGrants, DataType, readNeeds, SECRET_API, SecretSource, secretRef, ssmParameterArn } from "../policies/lib/service-needs";
import type { ServiceData, Store } from "./serviceData";
import type { Workload } from "./workload";
import { ServiceTriggers } from "./serviceTriggers";
import { AccountContext, envName, PolicyStatement, policyDocument } from "./shared";

/** A declared secret with its ARN, as a runtime injects it. */
export interface ResolvedSecret {
    /** The environment variable the service reads it from. */
    env: string;
    source: SecretSource;
    arn: pulumi.Output<string>;
}

/** The service's secrets with their ARNs (an SSM parameter given by name gets the stack's account and Region). */
export function resolveSecrets(spec: Pick<ServiceSpec, "secrets">, account: AccountContext): ResolvedSecret[] {
    return Object.keys(spec.secrets).sort().flatMap(env => {
        const ref = secretRef(spec.secrets[env]);
        if (!ref) return [];
        const arn = ref.source === "ssm"
            ? pulumi.all([account.partition, account.region, account.accountId]).apply(([p, r, a]) => ssmParameterArn(ref.ref, p, r, a))
            : pulumi.output(ref.ref);
        return [{ env, source: ref.source, arn }];
    });
}

/**
 * What reading `secrets` takes, and nothing more: GetSecretValue on each
 * Secrets Manager secret, GetParameters on each SSM parameter, and
 * kms:Decrypt on this account's keys only through that service and only for
 * those secrets' encryption context. Secrets Manager decrypts with the
 * encryption context `SecretARN` (Secrets Manager User Guide, "Secret
 * encryption and decryption in AWS Secrets Manager"), Parameter Store with
 * `PARAMETER_ARN` (Systems Manager User Guide, "How AWS Systems Manager
 * Parameter Store uses AWS KMS"); `kms:ViaService` (KMS Developer Guide).
 * These are the permissions ECS documents for a container's `secrets`
 * (ECS Developer Guide, "Amazon ECS task execution IAM role": "Required
 * permissions for Secrets Manager or Systems Manager").
 */
export function secretStatements(secrets: ResolvedSecret[], account: AccountContext): PolicyStatement[] {
    const out: PolicyStatement[] = [];
    const { partition, region, accountId } = account;
    for (const source of ["secretsManager", "ssm"] as const) {
        const arns = secrets.filter(s => s.source === source).map(s => s.arn);
        if (arns.length === 0) continue;
        const api = SECRET_API[source];
        out.push({ Sid: source === "ssm" ? "ReadOwnParameters" : "ReadOwnSecrets", Effect: "Allow", Action: [...api.actions], Resource: arns });
        out.push({
            Sid: source === "ssm" ? "DecryptOwnParameters" : "DecryptOwnSecrets",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: pulumi.interpolate`arn:${partition}:kms:${region}:${accountId}:key/*`,
            Condition: {
                StringEquals: { "kms:ViaService": pulumi.interpolate`${api.api}.${region}.amazonaws.com` },
                ...(source === "ssm"
                    ? { ArnEquals: { "kms:EncryptionContext:PARAMETER_ARN": arns } }
                    : { ArnEquals: { "kms:EncryptionContext:SecretARN": arns } }),
            },
        });
    }
    return out;
}

/** One data grant of the service, with the store and its key. */
export interface StoreGrant {
    grant: DataGrant;
    store: Store;
    keyArn: pulumi.Input<string>;
}

export interface ServiceAccessArgs {
    service: string;
    /** The application's role: the ECS task role, the function's role, the pod's role. */
    roleName: pulumi.Input<string>;
    /** The service's grants on stores (its own and those it uses). */
    grants: StoreGrant[];
    /** Secrets the application's role reads itself at run time (a runtime that does not inject them). */
    secrets: ResolvedSecret[];
    /** The service's reasoned extra permissions (catalog `permissions`, checked by the catalog). */
    permissions: ServiceSpec["permissions"];
    account: AccountContext;
}

/**
 * What the service's application role may do because of the catalog, and
 * nothing else: the actions of each of its grants on the store's ARNs (the
 * same grants the store's resource policy admits, policies/lib/service-needs.ts),
 * the key use server-side encryption needs, through that store's service
 * only, and reading its own secrets where its runtime reads them at run time.
 * One inline policy on the role, created only when there is something to grant.
 */
export class ServiceAccess extends pulumi.ComponentResource {
    public readonly policy?: aws.iam.RolePolicy;

    constructor(name: string, args: ServiceAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:access:ServiceAccess", name, {}, opts);
        const statements = [
            ...grantStatements(args.grants, args.account),
            ...secretStatements(args.secrets, args.account),
            ...permissionStatements(args.permissions, args.account),
        ];
        if (statements.length > 0) {
            this.policy = new aws.iam.RolePolicy(`${name}-needs`, { role: args.roleName, policy: policyDocument(statements) }, { parent: this });
        }
        this.registerOutputs({});
    }
}

/** The IAM statements of a service's grants: one per store, and the KMS use of each key through each store's service. */
export function grantStatements(grants: StoreGrant[], account: AccountContext): PolicyStatement[] {
    const out: PolicyStatement[] = grants.map(({ grant, store }) => ({
        Sid: sidOf(grant),
        Effect: "Allow",
        Action: grant.actions,
        Resource: store.resources,
    }));
    grants.forEach(({ grant, keyArn }) => {
        out.push({
            Sid: `${sidOf(grant)}Key`,
            Effect: "Allow",
            Action: grant.kms,
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`${DATA_API[grant.type].api}.${account.region}.amazonaws.com` } },
        });
    });
    return out;
}

/**
 * The catalog's extra permissions as statements, `{partition}`, `{region}`
 * and `{account}` replaced by the stack's; their reasons stay in the catalog
 * (a statement id holds only letters and digits).
 */
export function permissionStatements(permissions: ServiceSpec["permissions"], account: AccountContext): PolicyStatement[] {
    return permissions.map((p, i) => ({
        Sid: `Permission${i}`,
        Effect: "Allow",
        Action: p.actions,
        Resource: p.resources.map(r => pulumi.all([account.partition, account.region, account.accountId])
            .apply(([partition, region, id]) => r.replace(/\{partition\}/g, partition).replace(/\{region\}/g, region).replace(/\{account\}/g, id))),
    }));
}

/** `OrdersOrdersReadWrite`: a statement id (alphanumeric, IAM's Sid rule) naming the store and the accesses. */
function sidOf(g: DataGrant): string {
    return `${pascal(g.owner)}${pascal(g.data)}${g.accesses.map(pascal).join("")}`;
}

/** `ledger-db` -> `LedgerDb`: a name as part of a statement id (IAM allows only letters and digits there). */
export function pascal(s: string): string {
    return s.split("-").map(p => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}

/** The variable that carries a store's address to a service's code: `<OWNER>_<STORE>_<TABLE|BUCKET|QUEUE_URL|TOPIC_ARN>`. */
export function storeVariable(owner: string, data: string, type: DataType): string {
    const suffix: Record<DataType, string> = { dynamodb: "TABLE", s3: "BUCKET", sqs: "QUEUE_URL", sns: "TOPIC_ARN" };
    return `${envName(owner)}_${envName(data)}_${suffix[type]}`;
}

/**
 * The variables a service's code gets for what it declares: each store it
 * owns or uses (storeVariable), and, where its runtime reads secrets at run
 * time, `<NAME>_ARN` for each secret.
 */
export function needsVariables(service: string, catalog: readonly ServiceSpec[], data: ReadonlyMap<string, ServiceData>, secrets: ResolvedSecret[] | undefined): Record<string, pulumi.Input<string>> {
    const out: Record<string, pulumi.Input<string>> = {};
    for (const g of dataGrants(readNeeds(catalog)).filter(x => x.principal === service)) {
        const store = data.get(g.owner)?.stores.get(g.data);
        if (store) out[storeVariable(g.owner, g.data, g.type)] = store.address;
    }
    for (const s of secrets ?? []) out[`${s.env}_ARN`] = s.arn;
    return out;
}

export interface GrantNeedsArgs {
    /** Every service of the environment's catalog (the grants are derived from all of them). */
    catalog: readonly ServiceSpec[];
    /** The stores of this stack's services. */
    data: ReadonlyMap<string, ServiceData>;
    /** This stack's workloads by service. */
    workloads: ReadonlyMap<string, Workload>;
    /** The key that encrypts a service's stores. */
    keyOf(service: string): pulumi.Input<string>;
    /** Secrets the application role reads itself, per service (runtimes with `secrets: variable`). */
    runtimeSecrets: ReadonlyMap<string, ResolvedSecret[]>;
    account: AccountContext;
    /** A service's tags. */
    tagsOf(service: string): Record<string, string>;
}

/**
 * Both sides of every grant the catalog declares, from one derivation
 * (policies/lib/service-needs.ts: dataGrants): each service's application
 * role gets its grants (ServiceAccess), and each store's resource policy
 * admits exactly the roles granted (ServiceData.admit).
 */
export function grantServiceNeeds(args: GrantNeedsArgs, parent: pulumi.Resource): void {
    const grants = dataGrants(readNeeds(args.catalog));
    for (const [service, workload] of args.workloads) {
        const mine: StoreGrant[] = grants.filter(g => g.principal === service).flatMap(grant => {
            const store = args.data.get(grant.owner)?.stores.get(grant.data);
            return store ? [{ grant, store, keyArn: args.keyOf(grant.owner) }] : [];
        });
        const secrets = args.runtimeSecrets.get(service) ?? [];
        const permissions = args.catalog.find(s => s.name === service)?.permissions ?? [];
        const access = mine.length === 0 && secrets.length === 0 && permissions.length === 0 ? undefined
            : new ServiceAccess(service, { service, roleName: workload.appRole.name, grants: mine, secrets, permissions, account: args.account }, { parent });
        const triggers = args.catalog.find(s => s.name === service)?.triggers ?? [];
        if (triggers.length > 0 && workload.invokable) {
            new ServiceTriggers(service, {
                service,
                function: workload.invokable,
                triggers: triggers.map(spec => ({ spec, queue: "queue" in spec ? args.data.get(spec.queue.service)?.stores.get(spec.queue.data) : undefined })),
                grants: access?.policy ? [access.policy] : [],
                account: args.account,
                tags: args.tagsOf(service),
            }, { parent });
        }
    }
    for (const [owner, data] of args.data) {
        data.admit(grants.filter(g => g.owner === owner).flatMap(grant => {
            const role = args.workloads.get(grant.principal)?.appRole;
            return role ? [{ grant, roleArn: role.arn }] : [];
        }));
    }
}
