import { withExemptions } from "../lib/exemptions";
import { awsNameLimits } from "./deployability/aws-name-limits";
import { PackPolicy } from "../lib/rule";
import { defaultSecurityGroupManaged } from "./network/default-security-group-managed";
import { defaultSecurityGroupNoRules } from "./network/default-security-group-no-rules";
import { noInternetOrCrossVpcGateways } from "./network/no-internet-or-cross-vpc-gateways";
import { prefixListNoPublicEntries } from "./network/prefix-list-no-public-entries";
import { routeNoInternetEgress } from "./network/route-no-internet-egress";
import { securityGroupNoPublicIngress } from "./network/security-group-no-public-ingress";
import { securityGroupRestrictedEgress } from "./network/security-group-restricted-egress";
import { subnetNoPublicIp } from "./network/subnet-no-public-ip";
import { vpcFlowLogsEnabled } from "./network/vpc-flow-logs-enabled";
import { awsServiceEndpointPolicy } from "./privatelink/aws-service-endpoint-policy";
import { endpointServiceAcceptanceRequired } from "./privatelink/endpoint-service-acceptance-required";
import { endpointServiceConnectionNotification } from "./privatelink/endpoint-service-connection-notification";
import { endpointServiceInternalNlbOnly } from "./privatelink/endpoint-service-internal-nlb-only";
import { endpointServicePrincipalsDeclared } from "./privatelink/endpoint-service-principals-declared";
import { endpointServicePrincipalsRestricted } from "./privatelink/endpoint-service-principals-restricted";
import { endpointServicePrincipalsMatchCatalog } from "./privatelink/endpoint-service-principals-match-catalog";
import { interfaceEndpointDeclared } from "./privatelink/interface-endpoint-declared";
import { endpointConnectionDecisionsScoped } from "./privatelink/endpoint-connection-decisions-scoped";
import { ec2Imdsv2Required } from "./compute/ec2-imdsv2-required";
import { ec2EncryptedVolumes } from "./compute/ec2-encrypted-volumes";
import { ec2NoPublicIp } from "./compute/ec2-no-public-ip";
import { ecsServiceNoPublicIp } from "./compute/ecs-service-no-public-ip";
import { ecsTaskLogging } from "./compute/ecs-task-logging";
import { ecsTaskNoPlaintextSecrets } from "./compute/ecs-task-no-plaintext-secrets";
import { ecsTaskNotPrivileged } from "./compute/ecs-task-not-privileged";
import { ecsTaskRoleSeparation } from "./compute/ecs-task-role-separation";
import { eksAuthenticationModeApi } from "./compute/eks-authentication-mode-api";
import { eksControlPlaneLogging } from "./compute/eks-control-plane-logging";
import { eksEndpointPrivate } from "./compute/eks-endpoint-private";
import { eksMinimumVersion } from "./compute/eks-minimum-version";
import { eksSecretsEncryption } from "./compute/eks-secrets-encryption";
import { lambdaFailureDestination } from "./compute/lambda-failure-destination";
import { lambdaInVpc } from "./compute/lambda-in-vpc";
import { lambdaNoPlaintextSecrets } from "./compute/lambda-no-plaintext-secrets";
import { lambdaPermissionScoped } from "./compute/lambda-permission-scoped";
import { lambdaInvokedByDeclaredTriggers } from "./compute/lambda-invoked-by-declared-triggers";
import { lambdaReservedConcurrency } from "./compute/lambda-reserved-concurrency";
import { lambdaSupportedRuntime } from "./compute/lambda-supported-runtime";
import { lambdaUrlAuth } from "./compute/lambda-url-auth";
import { loadBalancerAccessLogs } from "./compute/load-balancer-access-logs";
import { loadBalancerDeletionProtection } from "./compute/load-balancer-deletion-protection";
import { loadBalancerInternal } from "./compute/load-balancer-internal";
import { iamAwsManagedPoliciesVetted } from "./iam/iam-aws-managed-policies-vetted";
import { iamCrossAccountTrustConditions } from "./iam/iam-cross-account-trust-conditions";
import { iamNoAdminManagedPolicies } from "./iam/iam-no-admin-managed-policies";
import { iamNoPrivilegeEscalation } from "./iam/iam-no-privilege-escalation";
import { iamNoUsers } from "./iam/iam-no-users";
import { iamNoWildcardAdminStatements } from "./iam/iam-no-wildcard-admin-statements";
import { iamPassroleScoped } from "./iam/iam-passrole-scoped";
import { iamTrustConditionsRestrict } from "./iam/iam-trust-conditions-restrict";
import { resourcePolicyNoForeignAccount } from "./iam/resource-policy-no-foreign-account";
import { identityAccountsDeclared } from "./iam/identity-accounts-declared";
import { destinationsInEnvironment } from "./topology/destinations-in-environment";
import { workloadNoSecretsInContent } from "./compute/workload-no-secrets-in-content";
import { workloadNoHostRuntimeMounts } from "./compute/workload-no-host-runtime-mounts";
import { apigatewayNoStageVariables } from "./frontdoor/apigateway-no-stage-variables";
import { endpointConnectionAccepterDeclared } from "./privatelink/endpoint-connection-accepter-declared";
import { privateDnsNamesDeclared } from "./privatelink/private-dns-names-declared";
import { resourcePolicyNoForeignPrincipal } from "./iam/resource-policy-no-foreign-principal";
import { iamTrustNoWildcardPrincipal } from "./iam/iam-trust-no-wildcard-principal";
import { dataGrantsDeclared } from "./iam/data-grants-declared";
import { dataGrantsNameStores } from "./iam/data-grants-name-stores";
import { dataStoresEncrypted } from "./iam/data-stores-encrypted";
import { dataBucketsPublicAccessBlocked } from "./iam/data-buckets-public-access-blocked";
import { ecrImmutableTags } from "./registry/ecr-immutable-tags";
import { ecrKmsEncryption } from "./registry/ecr-kms-encryption";
import { ecrPolicyNoPublicPrincipal } from "./registry/ecr-policy-no-public-principal";
import { ecrScanOnPush } from "./registry/ecr-scan-on-push";
import { eksAccessEntryPrincipal } from "./deployability/eks-access-entry-principal";
import { eksPublicAccessCidrs } from "./deployability/eks-public-access-cidrs";
import { endpointPolicySupported } from "./deployability/endpoint-policy-supported";
import { s3GatewayAdmitsEcrLayers } from "./deployability/s3-gateway-admits-ecr-layers";
import { reachabilityDeclaredEdges } from "./reachability/reachability-declared-edges";
import { reachabilityNoUndeclaredPaths } from "./reachability/reachability-no-undeclared-paths";
import { reachabilityWorkloadStartup } from "./reachability/reachability-workload-startup";
import { declaredEdgesOnly } from "./topology/declared-edges-only";
import { iamRolePerService } from "./topology/iam-role-per-service";
import { privatelinkOnlyBetweenVpcs } from "./topology/privatelink-only-between-vpcs";
import { resourceTypeAllowed } from "./topology/resource-type-allowed";
import { vpcRequiredAwsEndpoints } from "./topology/vpc-required-aws-endpoints";
import { vpcSingleTenant } from "./topology/vpc-single-tenant";
import { workloadInOwnedVpc } from "./topology/workload-in-owned-vpc";
import { quotasWithinLimits } from "./deployability/quotas-within-limits";
import { eksSupportedZones } from "./deployability/eks-supported-zones";
import { interfaceEndpointServiceExists } from "./deployability/interface-endpoint-service-exists";
import { subnetCidrInVpc } from "./deployability/subnet-cidr-in-vpc";
import { subnetsNoOverlap } from "./deployability/subnets-no-overlap";
import { apigatewayAccessLogGroup } from "./frontdoor/apigateway-access-log-group";
import { apigatewayCacheEncrypted } from "./frontdoor/apigateway-cache-encrypted";
import { apigatewayDomainTls } from "./frontdoor/apigateway-domain-tls";
import { apigatewayIntegrationPrivate } from "./frontdoor/apigateway-integration-private";
import { apigatewayMethodAuthorized } from "./frontdoor/apigateway-method-authorized";
import { apigatewayRoutesMatchCatalog } from "./frontdoor/apigateway-routes-match-catalog";
import { apigatewayResourcePolicyRestricted } from "./frontdoor/apigateway-resource-policy-restricted";
import { kmsKeyNoDelegatedAdministration } from "./iam/kms-key-no-delegated-administration";
import { apigatewayRestApiRegional } from "./frontdoor/apigateway-rest-api-regional";
import { apigatewayRestApiTls } from "./frontdoor/apigateway-rest-api-tls";
import { apigatewayStageAccessLogging } from "./frontdoor/apigateway-stage-access-logging";
import { apigatewayStageExecutionMetrics } from "./frontdoor/apigateway-stage-execution-metrics";
import { apigatewayStageThrottling } from "./frontdoor/apigateway-stage-throttling";
import { apigatewayStageWaf } from "./frontdoor/apigateway-stage-waf";
import { apigatewayStageXrayTracing } from "./frontdoor/apigateway-stage-xray-tracing";
import { frontdoorOnlyInternetFacing } from "./frontdoor/frontdoor-only-internet-facing";

/** Every rule of the pack, as written (before the exemption wrapper). */
export const rules: PackPolicy[] = [
    awsNameLimits,
    defaultSecurityGroupManaged,
    defaultSecurityGroupNoRules,
    noInternetOrCrossVpcGateways,
    prefixListNoPublicEntries,
    routeNoInternetEgress,
    securityGroupNoPublicIngress,
    securityGroupRestrictedEgress,
    subnetNoPublicIp,
    vpcFlowLogsEnabled,
    awsServiceEndpointPolicy,
    endpointServiceAcceptanceRequired,
    endpointServiceConnectionNotification,
    endpointServiceInternalNlbOnly,
    endpointServicePrincipalsDeclared,
    endpointServicePrincipalsRestricted,
    endpointServicePrincipalsMatchCatalog,
    interfaceEndpointDeclared,
    endpointConnectionDecisionsScoped,
    ec2Imdsv2Required,
    ec2EncryptedVolumes,
    ec2NoPublicIp,
    ecsServiceNoPublicIp,
    ecsTaskLogging,
    ecsTaskNoPlaintextSecrets,
    ecsTaskNotPrivileged,
    ecsTaskRoleSeparation,
    eksAuthenticationModeApi,
    eksControlPlaneLogging,
    eksEndpointPrivate,
    eksMinimumVersion,
    eksSecretsEncryption,
    lambdaFailureDestination,
    lambdaInVpc,
    lambdaNoPlaintextSecrets,
    lambdaPermissionScoped,
    lambdaInvokedByDeclaredTriggers,
    lambdaReservedConcurrency,
    lambdaSupportedRuntime,
    lambdaUrlAuth,
    loadBalancerAccessLogs,
    loadBalancerDeletionProtection,
    loadBalancerInternal,
    iamAwsManagedPoliciesVetted,
    dataGrantsDeclared,
    dataGrantsNameStores,
    dataStoresEncrypted,
    dataBucketsPublicAccessBlocked,
    iamCrossAccountTrustConditions,
    iamNoAdminManagedPolicies,
    iamNoPrivilegeEscalation,
    iamNoUsers,
    iamNoWildcardAdminStatements,
    iamPassroleScoped,
    iamTrustConditionsRestrict,
    iamTrustNoWildcardPrincipal,
    resourcePolicyNoForeignPrincipal,
    resourcePolicyNoForeignAccount,
    identityAccountsDeclared,
    destinationsInEnvironment,
    workloadNoSecretsInContent,
    workloadNoHostRuntimeMounts,
    apigatewayNoStageVariables,
    endpointConnectionAccepterDeclared,
    privateDnsNamesDeclared,
    ecrImmutableTags,
    ecrKmsEncryption,
    ecrPolicyNoPublicPrincipal,
    ecrScanOnPush,
    declaredEdgesOnly,
    iamRolePerService,
    privatelinkOnlyBetweenVpcs,
    resourceTypeAllowed,
    vpcRequiredAwsEndpoints,
    vpcSingleTenant,
    workloadInOwnedVpc,
    quotasWithinLimits,
    eksSupportedZones,
    subnetCidrInVpc,
    subnetsNoOverlap,
    interfaceEndpointServiceExists,
    eksAccessEntryPrincipal,
    eksPublicAccessCidrs,
    endpointPolicySupported,
    s3GatewayAdmitsEcrLayers,
    reachabilityDeclaredEdges,
    reachabilityNoUndeclaredPaths,
    reachabilityWorkloadStartup,
    apigatewayMethodAuthorized,
    apigatewayRoutesMatchCatalog,
    apigatewayResourcePolicyRestricted,
    kmsKeyNoDelegatedAdministration,
    apigatewayStageAccessLogging,
    apigatewayAccessLogGroup,
    apigatewayStageXrayTracing,
    apigatewayStageExecutionMetrics,
    apigatewayStageThrottling,
    apigatewayStageWaf,
    apigatewayCacheEncrypted,
    apigatewayIntegrationPrivate,
    apigatewayDomainTls,
    apigatewayRestApiRegional,
    apigatewayRestApiTls,
    frontdoorOnlyInternetFacing,
];

/** The rules as the pack serves them: each wrapped with config defaults and exemptions. */
export const policies: PackPolicy[] = rules.map((r) => withExemptions(r));

export const POLICY_PACK_NAME = "privatelink-platform";
