/**
 * How the pack relates to Pulumi compliance-policies: which of their policies
 * a rule of ours mirrors, and which we deliberately leave out (with why).
 * Used by the anchors test (against their spec cases) and by the docs.
 */

/** compliance-policies policy -> our rule. */
export const ANCHOR_MAP: Record<string, string> = {
    "aws-ec2-securitygroup-disallow-public-internet-ingress": "security-group-no-public-ingress",
    "aws-ecr-repository-configure-customer-managed-key": "ecr-kms-encryption",
    "aws-ecr-repository-disallow-unencrypted-repository": "ecr-kms-encryption",
    "aws-ecr-repository-configure-image-scan": "ecr-scan-on-push",
    "aws-ecr-repository-enable-image-scan": "ecr-scan-on-push",
    "aws-ecr-repository-disallow-mutable-image": "ecr-immutable-tags",
    "aws-eks-cluster-disallow-api-endpoint-public-access": "eks-endpoint-private",
    "aws-eks-cluster-enable-cluster-encryption-config": "eks-secrets-encryption",
    "aws-lambda-permission-configure-source-arn": "lambda-permission-scoped",
    "aws-lb-loadbalancer-configure-access-logging": "load-balancer-access-logs",
    "aws-lb-loadbalancer-enable-access-logging": "load-balancer-access-logs",
    "aws-alb-loadbalancer-configure-access-logging": "load-balancer-access-logs",
    "aws-alb-loadbalancer-enable-access-logging": "load-balancer-access-logs",
    "aws-ec2-instance-disallow-public-ip": "ec2-no-public-ip",
    "aws-ec2-launchtemplate-disallow-public-ip": "ec2-no-public-ip",
    "aws-apigateway-domainname-configure-security-policy": "apigateway-domain-tls",
};

/** compliance-policies policies we deliberately do not mirror, and why. */
export const OUT_OF_SCOPE: Record<string, string> = {
    "aws-alb-listener-configure-secure-tls": "listener TLS policy: PrivateLink NLBs are TCP pass-through; TLS is the service's own concern, not isolation",
    "aws-lb-listener-configure-secure-tls": "listener TLS policy: as above",
    "aws-alb-listener-disallow-unencrypted-traffic": "listener protocol: internal NLB/ALB listeners inside an isolated VPC carry TCP by design",
    "aws-lb-listener-disallow-unencrypted-traffic": "listener protocol: as above",
    "aws-apigatewayv2-domainname-configure-domain-name-security-policy": "HTTP API (API Gateway v2): the front door is a REST API (v1), the flavour with caching, request validators, usage plans and WAF; v2 resources face frontdoor-only-internet-facing instead",
    "aws-apigatewayv2-domainname-enable-domain-name-configuration": "HTTP API (API Gateway v2): as above",
    "aws-apigatewayv2-stage-configure-access-logging": "HTTP API (API Gateway v2): as above (the REST stage's access logging is apigateway-stage-access-logging)",
    "aws-apigatewayv2-stage-enable-access-logging": "HTTP API (API Gateway v2): as above",
    "aws-ec2-instance-disallow-unencrypted-block-device": "EBS encryption at rest: data protection, not network isolation or IAM (services run on Fargate)",
    "aws-ec2-instance-disallow-unencrypted-root-block-device": "EBS encryption at rest: as above",
    "aws-ec2-launchtemplate-configure-customer-managed-key": "EBS encryption at rest: as above",
    "aws-ec2-launchtemplate-disallow-unencrypted-block-device": "EBS encryption at rest: as above",
    "aws-ec2-securitygroup-disallow-inbound-http-traffic": "port 80 inside a private, IGW-less VPC is internal traffic; we forbid world CIDRs on any port instead",
    "aws-ec2-securitygroup-missing-description": "documentation hygiene, not a security property",
    "aws-ec2-securitygroup-missing-egress-rule-description": "documentation hygiene",
    "aws-ec2-securitygroup-missing-ingress-rule-description": "documentation hygiene",
    "aws-kms-key-disallow-bypass-policy-lockout-safety-check": "KMS key management is outside the pack's isolation/IAM scope",
    "aws-kms-key-enable-key-rotation": "KMS key management is outside the pack's scope",
    "aws-kms-key-missing-description": "documentation hygiene",
    "aws-lambda-function-configure-tracing-config": "observability hygiene (X-Ray), not isolation",
    "aws-lambda-function-enable-tracing-config": "observability hygiene (X-Ray)",
    "aws-lambda-function-missing-description": "documentation hygiene",
};
