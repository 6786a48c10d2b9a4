"""``ContainerService``: a Fargate service with hardened containers, in a cluster with Container Insights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.workloads._common import apply_classification, encrypted_log_group, workload_key

#: The user containers run as when none is given: an unprivileged UID and GID.
DEFAULT_USER = "1000:1000"


class ContainerService(Construct):
    """A Fargate service in private subnets whose defaults pass BIO2 and AwsSolutions.

    Secure defaults:

    * the container runs as ``user`` :data:`DEFAULT_USER` (never root), with a read-only root
      filesystem (``read_only_root_filesystem=False`` turns that off; mount a volume for paths the
      application must write), never privileged;
    * ``cluster``: a new cluster with Container Insights (enhanced) unless one is given;
    * logs: the awslogs driver into a new log group, KMS-encrypted, kept 365 days, retained;
    * no public IP; ``vpc_subnets`` default: the VPC's private (isolated or with egress) subnets;
      deployment circuit breaker with rollback; ECS Exec off;
    * configuration through ``secrets`` (Secrets Manager / SSM references), not plain
      ``environment`` variables (AwsSolutions-ECS2 reports those).

    Parts: :attr:`cluster`, :attr:`task_definition` (its L1 is ``task_definition.node.default_child``),
    :attr:`container`, :attr:`service`, :attr:`task_role` (grant it what the application uses, e.g.
    ``bucket.grant_read(service.task_role)``), :attr:`connections`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        image: ecs.ContainerImage,
        container_port: int = 8080,
        cpu: int = 256,
        memory_limit_mib: int = 512,
        desired_count: int = 2,
        user: str = DEFAULT_USER,
        read_only_root_filesystem: bool = True,
        secrets: Mapping[str, ecs.Secret] | None = None,
        environment: Mapping[str, str] | None = None,
        cluster: ecs.ICluster | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        container_insights: ecs.ContainerInsights = ecs.ContainerInsights.ENHANCED,
        classification: Mapping[str, str] | None = None,
        command: Sequence[str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.cluster = cluster or ecs.Cluster(
            self, "Cluster", vpc=vpc, container_insights_v2=container_insights
        )
        log_key = workload_key(
            self, "LogKey", f"Encrypts the container logs of {construct_id}", logs_service=True
        )
        self.log_group = encrypted_log_group(self, "Logs", log_key)
        self.task_definition = ecs.FargateTaskDefinition(
            self, "TaskDefinition", cpu=cpu, memory_limit_mib=memory_limit_mib
        )
        self.container = self.task_definition.add_container(
            "App",
            image=image,
            user=user,
            readonly_root_filesystem=read_only_root_filesystem,
            privileged=False,
            logging=ecs.LogDrivers.aws_logs(stream_prefix=construct_id, log_group=self.log_group),
            port_mappings=[ecs.PortMapping(container_port=container_port)],
            secrets=dict(secrets or {}) or None,
            environment=dict(environment or {}) or None,
            command=list(command) if command else None,
        )
        self.service = ecs.FargateService(
            self,
            "Service",
            cluster=self.cluster,
            task_definition=self.task_definition,
            desired_count=desired_count,
            assign_public_ip=False,
            vpc_subnets=vpc_subnets,
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            enable_execute_command=False,
        )
        self.connections = self.service.connections
        self.container_port = container_port
        apply_classification(self, classification)

    @property
    def task_role(self) -> iam.IRole:
        """The role the application's containers run with: grant it what the application uses."""
        return self.task_definition.task_role
